//go:build race

package javaregex

// raceDetector reports a build with -race, whose instrumentation
// allocates: allocation counts are not the matcher's then.
const raceDetector = true
