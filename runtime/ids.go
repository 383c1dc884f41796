package runtime

import (
	"math/rand/v2"
)

const hexDigits = "0123456789abcdef"

// randomHex returns n random lower-case hex digits.
func randomHex(n int) string {
	b := make([]byte, n)
	for i := 0; i < n; i += 16 {
		r := rand.Uint64()
		for j := i; j < n && j < i+16; j++ {
			b[j] = hexDigits[r&15]
			r >>= 4
		}
	}
	return string(b)
}

// newRequestID returns a version-4 UUID, the form of API Gateway's
// request ids.
func newRequestID() string {
	var b [36]byte
	hi, lo := rand.Uint64(), rand.Uint64()
	hi = hi&^(0xf<<12) | 4<<12 // version 4
	lo = lo&^(0x3<<62) | 2<<62 // variant 10
	put := func(dst []byte, v uint64) {
		for i := len(dst) - 1; i >= 0; i-- {
			dst[i] = hexDigits[v&15]
			v >>= 4
		}
	}
	var h [32]byte
	put(h[:16], hi)
	put(h[16:], lo)
	copy(b[0:8], h[0:8])
	b[8] = '-'
	copy(b[9:13], h[8:12])
	b[13] = '-'
	copy(b[14:18], h[12:16])
	b[18] = '-'
	copy(b[19:23], h[16:20])
	b[23] = '-'
	copy(b[24:36], h[20:32])
	return string(b[:])
}

// newExtendedID returns an id of the form of x-amz-apigw-id (16 base64url
// characters ending in "=").
func newExtendedID() string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	var b [16]byte
	r := rand.Uint64()
	for i := 0; i < 15; i++ {
		if i == 10 {
			r = rand.Uint64()
		}
		b[i] = alphabet[r&63]
		r >>= 6
	}
	b[15] = '='
	return string(b[:])
}
