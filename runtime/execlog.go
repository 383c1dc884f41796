package runtime

import (
	"fmt"
	"time"
)

// ExecutionLog records the steps of one request, as API Gateway's
// execution logs and the console's Test button show them. It is nil while
// serving, so logging costs nothing there.
type ExecutionLog struct {
	start time.Time
	Steps []Step
}

// Step is one entry of an execution log.
type Step struct {
	// Elapsed is the time since the request started.
	Elapsed time.Duration
	Phase   string
	Message string
}

// NewExecutionLog starts a log.
func NewExecutionLog() *ExecutionLog { return &ExecutionLog{start: time.Now()} }

// on reports whether the log records, so that callers skip formatting
// arguments while serving.
func (l *ExecutionLog) on() bool { return l != nil }

// Phases of the execution log, one per step of the lifecycle.
const (
	phaseRoute               = "route"
	phaseMethodRequest       = "method request"
	phaseAuth                = "auth"
	phaseUsagePlan           = "usage plan"
	phaseValidation          = "validation"
	phaseIntegrationRequest  = "integration request"
	phaseIntegration         = "integration"
	phaseIntegrationResponse = "integration response"
	phaseMethodResponse      = "method response"
	phaseGatewayResponse     = "gateway response"
)

func (l *ExecutionLog) step(phase, format string, args ...any) {
	if l == nil {
		return
	}
	l.Steps = append(l.Steps, Step{Elapsed: time.Since(l.start), Phase: phase, Message: fmt.Sprintf(format, args...)})
}
