package redis

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"gwc.dev/gwc/internal/redistest"
)

func BenchmarkAllowParallel(b *testing.B) {
	srv := redistest.Start(b)
	s := newStore(b, srv.URL, Options{})
	ctx := context.Background()
	keys := make([]string, 1024)
	for i := range keys {
		keys[i] = fmt.Sprintf("apikey-%d/GET /pets", i)
	}
	now := time.Now()
	var seq atomic.Int64
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := int(seq.Add(1)) * 7919
		for pb.Next() {
			i++
			if _, err := s.Allow(ctx, keys[i&1023], 1e9, 1<<30, now); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func BenchmarkCountParallel(b *testing.B) {
	srv := redistest.Start(b)
	s := newStore(b, srv.URL, Options{})
	ctx := context.Background()
	exp := time.Now().Add(time.Hour)
	var seq atomic.Int64
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := int(seq.Add(1)) * 7919
		for pb.Next() {
			i++
			if _, err := s.Count(ctx, fmt.Sprint("q", i&1023), 1<<50, exp); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
