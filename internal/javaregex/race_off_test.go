//go:build !race

package javaregex

// raceDetector reports a build with -race (race_on_test.go).
const raceDetector = false
