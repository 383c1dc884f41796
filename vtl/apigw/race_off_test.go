//go:build !race

package apigw_test

// raceDetector reports a build with -race (race_on_test.go).
const raceDetector = false
