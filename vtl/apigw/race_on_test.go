//go:build race

package apigw_test

// raceDetector reports a build with -race, whose instrumentation
// allocates: allocation counts are not the render's then.
const raceDetector = true
