package cfntest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
)

// ValidatorDirEnv names the environment variable that points at the
// directory holding node_modules with aws-cdk-lib (and so AWS's validator).
const ValidatorDirEnv = "GWC_CFN_VALIDATE_DIR"

// ValidatorVersion is the aws-cdk-lib release whose bundled
// @aws/cloudformation-validate the tests use.
const ValidatorVersion = "2.276.0"

// validatorPackage is where aws-cdk-lib keeps the validator.
var validatorPackage = filepath.Join("node_modules", "aws-cdk-lib", "node_modules", "@aws", "cloudformation-validate")

// ValidatorDir is the directory the AWS validator is looked up in:
// $GWC_CFN_VALIDATE_DIR, else gwc/cfn-validate in the user's cache
// directory (~/.cache/gwc/cfn-validate on Linux).
func ValidatorDir() string {
	if dir := os.Getenv(ValidatorDirEnv); dir != "" {
		return dir
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(cache, "gwc", "cfn-validate")
}

// InstallCommand is the command that installs the validator where
// ValidatorDir looks.
func InstallCommand() string {
	return fmt.Sprintf("npm install --prefix %s --no-audit --no-fund aws-cdk-lib@%s constructs", ValidatorDir(), ValidatorVersion)
}

// awsReport is one template's report from validate.js.
type awsReport struct {
	Name     string `json:"name"`
	Status   string `json:"status"`
	Error    string `json:"error"`
	Findings []struct {
		Rule     string `json:"rule"`
		Severity string `json:"severity"`
		Message  string `json:"message"`
		Resource string `json:"resource"`
		Path     string `json:"path"`
		Line     int    `json:"line"`
	} `json:"findings"`
}

// awsValidator is one long-lived `node validate.js --stdin`, shared by all
// the checks of a test binary: building the validator's engine takes
// seconds, validating a template milliseconds. The process ends when the
// test binary does (its standard input closes).
type awsValidator struct {
	mu     sync.Mutex
	in     io.WriteCloser
	out    *bufio.Reader
	stderr *bytes.Buffer
}

var shared struct {
	once sync.Once
	v    *awsValidator
	// unavailable says why there is no validator, in one line.
	unavailable string
	err         error
}

// sharedValidator starts the validator the first time it is needed.
func sharedValidator() (*awsValidator, string, error) {
	shared.once.Do(func() {
		shared.v, shared.unavailable, shared.err = startValidator()
	})
	return shared.v, shared.unavailable, shared.err
}

func startValidator() (*awsValidator, string, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, "node is not installed", nil
	}
	dir := ValidatorDir()
	if _, err := os.Stat(filepath.Join(dir, validatorPackage, "package.json")); err != nil {
		return nil, fmt.Sprintf("AWS's validator is not installed in %s (%s=DIR to look elsewhere; install: %s)", dir, ValidatorDirEnv, InstallCommand()), nil
	}
	cmd := exec.Command(node, scriptPath(), "--stdin")
	cmd.Env = append(os.Environ(), ValidatorDirEnv+"="+dir)
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, "", err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, "", err
	}
	v := &awsValidator{in: in, out: bufio.NewReader(out), stderr: &bytes.Buffer{}}
	cmd.Stderr = v.stderr
	if err := cmd.Start(); err != nil {
		return nil, "", fmt.Errorf("start %s: %w", cmd, err)
	}
	return v, "", nil
}

// scriptPath is validate.js, beside this file in the source tree.
func scriptPath() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "validate.js")
}

// validate sends one template and reads its report.
func (v *awsValidator) validate(name string, template []byte) (*awsReport, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	req, err := json.Marshal(map[string]string{"name": name, "template": string(template)})
	if err != nil {
		return nil, err
	}
	if _, err := v.in.Write(append(req, '\n')); err != nil {
		return nil, fmt.Errorf("send template to validate.js: %w (stderr: %s)", err, v.stderr)
	}
	line, err := v.out.ReadBytes('\n')
	if err != nil {
		return nil, fmt.Errorf("read validate.js report: %w (stderr: %s)", err, v.stderr)
	}
	var r awsReport
	if err := json.Unmarshal(line, &r); err != nil {
		return nil, fmt.Errorf("decode validate.js report %q: %w", line, err)
	}
	if r.Error != "" {
		return nil, fmt.Errorf("validate.js: %s", r.Error)
	}
	return &r, nil
}

// awsFindings runs AWS's validator on a template. Warnings are findings
// too; Check fails only on errors.
func awsFindings(name string, template []byte) (findings []Finding, unavailable string, err error) {
	v, unavailable, err := sharedValidator()
	if v == nil {
		return nil, unavailable, err
	}
	r, err := v.validate(name, template)
	if err != nil {
		return nil, "", err
	}
	for _, f := range r.Findings {
		findings = append(findings, Finding{
			Source:   "aws:" + f.Rule,
			Severity: f.Severity,
			Resource: f.Resource,
			Path:     f.Path,
			Message:  f.Message,
		})
	}
	return findings, "", nil
}
