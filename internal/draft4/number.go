package draft4

import (
	"math/big"
	"math/bits"
	"strconv"
	"strings"
)

// decimal is the exact value of a JSON number, read from its text with no
// rounding: ±digits × 10^exp, where digits has no leading and no trailing
// zeros (zero has no digits). The digits are the concatenation of a and b,
// two slices of the number's text (its integer and fraction parts), so
// reading a number allocates nothing.
type decimal struct {
	neg  bool
	a, b string
	exp  int64
}

// maxExp saturates exponents. A number whose exponent is beyond it (10^15
// digits of zeros) cannot be written in a request API Gateway accepts;
// saturation only keeps the arithmetic from overflowing.
const maxExp = 1 << 50

func parseDecimal(s string) decimal {
	var d decimal
	i := 0
	if i < len(s) && s[i] == '-' {
		d.neg = true
		i++
	}
	j := i
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	a := s[i:j]
	var b string
	if j < len(s) && s[j] == '.' {
		k := j + 1
		for k < len(s) && s[k] >= '0' && s[k] <= '9' {
			k++
		}
		b = s[j+1 : k]
		j = k
	}
	var e int64
	if j < len(s) && (s[j] == 'e' || s[j] == 'E') {
		j++
		eneg := false
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			eneg = s[j] == '-'
			j++
		}
		for ; j < len(s); j++ {
			if e < maxExp {
				e = e*10 + int64(s[j]-'0')
			}
		}
		if e > maxExp {
			e = maxExp
		}
		if eneg {
			e = -e
		}
	}
	e -= int64(len(b))
	// Leading zeros: only "0" before the point, or zeros after "0.".
	a = strings.TrimLeft(a, "0")
	if a == "" {
		b = strings.TrimLeft(b, "0")
	}
	// Trailing zeros move into the exponent.
	if t := strings.TrimRight(b, "0"); len(t) < len(b) {
		e += int64(len(b) - len(t))
		b = t
	}
	if b == "" {
		t := strings.TrimRight(a, "0")
		e += int64(len(a) - len(t))
		a = t
	}
	d.a, d.b, d.exp = a, b, e
	if d.isZero() {
		d.neg = false
		d.exp = 0
	}
	return d
}

func (d *decimal) ndig() int    { return len(d.a) + len(d.b) }
func (d *decimal) isZero() bool { return len(d.a)+len(d.b) == 0 }

func (d *decimal) digit(i int) byte {
	if i < len(d.a) {
		return d.a[i]
	}
	return d.b[i-len(d.a)]
}

// isInt reports whether the value has no fractional part.
func (d *decimal) isInt() bool { return d.isZero() || d.exp >= 0 }

// cmpDecimal compares two values exactly.
func cmpDecimal(x, y *decimal) int {
	sx, sy := x.sign(), y.sign()
	if sx != sy {
		if sx < sy {
			return -1
		}
		return 1
	}
	if sx == 0 {
		return 0
	}
	c := cmpMagnitude(x, y)
	if sx < 0 {
		return -c
	}
	return c
}

func (d *decimal) sign() int {
	switch {
	case d.isZero():
		return 0
	case d.neg:
		return -1
	}
	return 1
}

func cmpMagnitude(x, y *decimal) int {
	// The leading digit of a value with n digits and exponent e stands for
	// 10^(n+e-1): compare those first, then the digits.
	ax, ay := x.exp+int64(x.ndig()), y.exp+int64(y.ndig())
	if ax != ay {
		if ax < ay {
			return -1
		}
		return 1
	}
	nx, ny := x.ndig(), y.ndig()
	for i := 0; i < nx && i < ny; i++ {
		if cx, cy := x.digit(i), y.digit(i); cx != cy {
			if cx < cy {
				return -1
			}
			return 1
		}
	}
	switch {
	case nx < ny:
		return -1
	case nx > ny:
		return 1
	}
	return 0
}

func equalDecimal(x, y *decimal) bool {
	return x.neg == y.neg && x.exp == y.exp && x.ndig() == y.ndig() && cmpMagnitude(x, y) == 0
}

// small returns the digits as a uint64 when there are at most 19 of them.
func (d *decimal) small() (uint64, bool) {
	n := d.ndig()
	if n > 19 {
		return 0, false
	}
	var v uint64
	for i := 0; i < n; i++ {
		v = v*10 + uint64(d.digit(i)-'0')
	}
	return v, true
}

// int64Value returns the value when it is an integer that fits an int64
// comfortably (18 digits), the fast path of comparisons.
func (d *decimal) int64Value() (int64, bool) {
	if !d.isInt() || int64(d.ndig())+d.exp > 18 {
		return 0, false
	}
	v, _ := d.small()
	for e := d.exp; e > 0; e-- {
		v *= 10
	}
	if d.neg {
		return -int64(v), true
	}
	return int64(v), true
}

// multipleOf reports whether x is an integer multiple of m (m > 0), exactly,
// as BigDecimal's remainder is in API Gateway's validator: 0.3 is a
// multiple of 0.1. With x = X×10^p and m = M×10^q, digits stripped of
// trailing zeros, x/m = X×10^(p-q)/M; when p < q the quotient has a factor
// 10^-(q-p) that X (not a multiple of 10) cannot cancel, so it is not an
// integer; otherwise it is one exactly when X×10^(p-q) ≡ 0 (mod M), which
// modular exponentiation decides without building 10^(p-q).
func multipleOf(x, m *decimal) bool {
	if x.isZero() {
		return true
	}
	k := x.exp - m.exp
	if k < 0 {
		return false
	}
	X, okx := x.small()
	M, okm := m.small()
	if okx && okm {
		return mulMod(X%M, powMod(10, uint64(k), M), M) == 0
	}
	bx, _ := new(big.Int).SetString(x.a+x.b, 10)
	bm, _ := new(big.Int).SetString(m.a+m.b, 10)
	bx.Mod(bx, bm)
	p := new(big.Int).Exp(big.NewInt(10), big.NewInt(k), bm)
	bx.Mul(bx, p)
	return bx.Mod(bx, bm).Sign() == 0
}

func mulMod(a, b, m uint64) uint64 {
	hi, lo := bits.Mul64(a%m, b%m)
	_, r := bits.Div64(hi, lo, m)
	return r
}

func powMod(b, e, m uint64) uint64 {
	r := uint64(1) % m
	b %= m
	for e > 0 {
		if e&1 != 0 {
			r = mulMod(r, b, m)
		}
		b = mulMod(b, b, m)
		e >>= 1
	}
	return r
}

// maxRenderZeros bounds the zeros written out for integers with large
// exponents in messages; past it the value is written with an exponent, so
// that a short number cannot make a huge message.
const maxRenderZeros = 1000

// ratString writes a value as runtime/validate.go has written big.Rat
// values in messages: an integer in full, anything else rounded to six
// decimals, halves away from zero (big.Rat.FloatString(6)).
func ratString(d *decimal) string {
	var sb strings.Builder
	if d.isZero() {
		return "0"
	}
	if d.neg {
		sb.WriteByte('-')
	}
	digits := d.a + d.b
	if d.exp >= 0 {
		sb.WriteString(digits)
		if d.exp > maxRenderZeros {
			sb.WriteString("E+")
			sb.WriteString(itoa(d.exp))
		} else {
			sb.WriteString(strings.Repeat("0", int(d.exp)))
		}
		return sb.String()
	}
	scale := -d.exp // digits after the point
	var ip, fp string
	if scale <= int64(len(digits)) {
		ip, fp = digits[:int64(len(digits))-scale], digits[int64(len(digits))-scale:]
	} else if scale-int64(len(digits)) > 7 {
		// Below 10^-7: rounds to zero at six places.
		sb.WriteString("0.000000")
		return sb.String()
	} else {
		fp = strings.Repeat("0", int(scale)-len(digits)) + digits
	}
	buf := []byte("0" + ip) // a leading 0 absorbs a carry
	if len(fp) > 6 {
		up := fp[6] >= '5'
		fp = fp[:6]
		if up {
			f := []byte(fp)
			i := len(f) - 1
			for ; i >= 0; i-- {
				if f[i] == '9' {
					f[i] = '0'
					continue
				}
				f[i]++
				break
			}
			if i < 0 {
				j := len(buf) - 1
				for ; buf[j] == '9'; j-- {
					buf[j] = '0'
				}
				buf[j]++
			}
			fp = string(f)
		}
	}
	fp += strings.Repeat("0", 6-len(fp))
	ipart := strings.TrimLeft(string(buf), "0")
	if ipart == "" {
		ipart = "0"
	}
	sb.WriteString(ipart)
	sb.WriteByte('.')
	sb.WriteString(fp)
	return sb.String()
}

// javaString writes a number as API Gateway's validator (Jackson nodes,
// decimals read as BigDecimal and normalized by stripTrailingZeros) prints
// it: integers as written, decimals as BigDecimal.toString, with an
// exponent when the scale is negative or the value is below 10^-6.
func javaString(text string, d *decimal, intToken bool) string {
	if d.isZero() {
		return "0"
	}
	if intToken {
		return strings.TrimPrefix(text, "+")
	}
	var sb strings.Builder
	if d.neg {
		sb.WriteByte('-')
	}
	digits := d.a + d.b
	n := int64(len(digits))
	adjusted := d.exp + n - 1
	scale := -d.exp
	switch {
	case scale >= 0 && adjusted >= -6:
		if n > scale {
			sb.WriteString(digits[:n-scale])
			if scale > 0 {
				sb.WriteByte('.')
				sb.WriteString(digits[n-scale:])
			}
		} else {
			sb.WriteString("0.")
			sb.WriteString(strings.Repeat("0", int(scale-n)))
			sb.WriteString(digits)
		}
	default:
		sb.WriteByte(digits[0])
		if n > 1 {
			sb.WriteByte('.')
			sb.WriteString(digits[1:])
		}
		sb.WriteByte('E')
		if adjusted >= 0 {
			sb.WriteByte('+')
		}
		sb.WriteString(itoa(adjusted))
	}
	return sb.String()
}

func itoa(v int64) string {
	return strconv.FormatInt(v, 10)
}
