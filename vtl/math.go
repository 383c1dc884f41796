package vtl

import (
	"math"
	"math/big"
)

// Arithmetic follows Velocity 1.7's MathUtils: integers compute in 64 bits
// and come back as the wider operand type (Integer unless a Long is
// involved or the result does not fit), overflowing into BigInteger;
// anything involving a Double computes in double precision. BigInteger and
// BigDecimal operands (only large JSON numbers produce them) compute in
// double precision here, a documented simplification.

func numberAsFloat(v Value) float64 {
	switch v.kind {
	case KindInt, KindLong:
		return float64(v.n)
	}
	return v.Float()
}

// wrapInteger returns r as an Integer when both operands were Integers and
// r fits, else as a Long.
func wrapInteger(r int64, a, b Value) Value {
	if a.kind == KindInt && b.kind == KindInt && r >= math.MinInt32 && r <= math.MaxInt32 {
		return Int(int32(r))
	}
	return Long(r)
}

func bigResult(z *big.Int) Value {
	if z.IsInt64() {
		return Long(z.Int64())
	}
	f, _ := new(big.Float).SetInt(z).Float64()
	return bigInt(z.String(), f)
}

// arith applies op to two numbers. ok is false for division by zero, where
// Velocity yields null.
func arith(op binOp, a, b Value) (Value, bool) {
	if a.isIntegral() && b.isIntegral() {
		x, y := a.n, b.n
		switch op {
		case opAdd:
			r := x + y
			if (r^x) < 0 && (r^y) < 0 {
				return bigResult(new(big.Int).Add(big.NewInt(x), big.NewInt(y))), true
			}
			return wrapInteger(r, a, b), true
		case opSub:
			r := x - y
			if (x^y) < 0 && (r^x) < 0 {
				return bigResult(new(big.Int).Sub(big.NewInt(x), big.NewInt(y))), true
			}
			return wrapInteger(r, a, b), true
		case opMul:
			r := x * y
			if x != 0 && (r/x != y || (x == -1 && y == math.MinInt64) || (y == -1 && x == math.MinInt64)) {
				return bigResult(new(big.Int).Mul(big.NewInt(x), big.NewInt(y))), true
			}
			return wrapInteger(r, a, b), true
		case opDiv:
			if y == 0 {
				return Null, false
			}
			if y == -1 {
				return wrapInteger(-x, a, b), true // Java wraps MinInt64 / -1
			}
			return wrapInteger(x/y, a, b), true
		case opMod:
			if y == 0 {
				return Null, false
			}
			if y == -1 {
				return wrapInteger(0, a, b), true
			}
			return wrapInteger(x%y, a, b), true
		}
	}
	x, y := numberAsFloat(a), numberAsFloat(b)
	switch op {
	case opAdd:
		return Double(x + y), true
	case opSub:
		return Double(x - y), true
	case opMul:
		return Double(x * y), true
	case opDiv:
		if y == 0 {
			return Null, false
		}
		return Double(x / y), true
	case opMod:
		if y == 0 {
			return Null, false
		}
		return Double(math.Mod(x, y)), true
	}
	return Null, false
}

// compareNumbers is MathUtils.compare: -1, 0 or 1.
func compareNumbers(a, b Value) int {
	if a.isIntegral() && b.isIntegral() {
		switch {
		case a.n < b.n:
			return -1
		case a.n > b.n:
			return 1
		}
		return 0
	}
	x, y := numberAsFloat(a), numberAsFloat(b)
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	case x == y:
		return 0
	}
	// Double.compare orders NaN above everything.
	if math.IsNaN(x) {
		if math.IsNaN(y) {
			return 0
		}
		return 1
	}
	return -1
}
