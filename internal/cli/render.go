package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"gwc.dev/gwc/diag"
	"gwc.dev/gwc/schema"
	"gwc.dev/gwc/vtl"
	"gwc.dev/gwc/vtl/apigw"
)

// Diagnostic codes of gwc render. A syntax error has the code gwc check
// reports for the same mistake in a definition.
const (
	codeTemplateSyntax = "TEMPLATE_SYNTAX"
	codeTemplateRender = "TEMPLATE_RENDER"
	codeRenderInput    = "RENDER_INPUT"
)

// stdinName names standard input in diagnostics.
const stdinName = "<stdin>"

type renderFlags struct {
	format    string
	template  string
	input     string
	body      string
	params    []string
	stageVars []string
	context   []string
	response  bool
}

func newRenderCmd() *cobra.Command {
	var f renderFlags
	cmd := &cobra.Command{
		Use:   "render --template FILE [--input FILE|-] [flags]",
		Short: "Render one mapping template on a given input, as API Gateway would",
		Long: `render renders a mapping template on a request without deploying
anything, with the engine gwc serve runs: Velocity 1.7 with API Gateway's
$input, $util, $context and $stageVariables. The output goes to stdout
byte for byte; nothing is added, not even a final newline.

The input file is JSON; absent (or null) fields mean empty:

  {
    "body": "{\"name\": \"Zoë\"}",
    "params": {"path": {"id": "1"}, "querystring": {"q": "x"},
               "header": {"User-Agent": "curl"}},
    "context": {"requestId": "abc", "identity": {"sourceIp": "203.0.113.7"}},
    "stageVariables": {"backend": "pets.internal"}
  }

body is a string or null; parameter and stage variable values are
strings; context may hold any JSON. The flags add to the input file or
override it: --body sets the body, --param LOCATION.NAME=VALUE a parameter
(LOCATION is path, querystring or header), --stage-var NAME=VALUE a stage
variable and --context PATH=VALUE a string in $context (PATH may be
dotted, as in identity.sourceIp). Flags may be repeated.

--response renders an integration response template: the body is then the
integration's response, which $input reads, while $input.params() still
reads the method request's parameters, as on API Gateway.

Diagnostics always go to stderr, in --format, so that stdout holds only
the rendered output. So do the overrides the template set in
$context.requestOverride and $context.responseOverride, one per line
("override: $context.responseOverride.status = 404"); a response template's
request overrides are marked as ignored, since API Gateway applies only the
response overrides of a response template.

Exit status: 0 rendered, 1 the template has a syntax error or failed to
render, 2 usage error or unreadable input.`,
		Example: `  gwc render --template req.vm --input input.json
  gwc render -t req.vm --input - < input.json
  gwc render -t req.vm --body '{"id": 7}' --param path.id=7 --param header.Accept=text/plain
  gwc render -t req.vm --stage-var backend=pets.internal --context requestId=r-1
  gwc render -t resp.vm --response --body '{"errorMessage": "not found"}'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runRender(cmd, &f)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.template, "template", "t", "", "the mapping template file (required)")
	fl.StringVarP(&f.input, "input", "i", "", "the input JSON file, or - for stdin")
	fl.StringVar(&f.body, "body", "", "the request body ($input.body); overrides the input file's")
	fl.StringArrayVar(&f.params, "param", nil, "a parameter, LOCATION.NAME=VALUE with LOCATION path, querystring or header (repeatable)")
	fl.StringArrayVar(&f.stageVars, "stage-var", nil, "a stage variable, NAME=VALUE (repeatable)")
	fl.StringArrayVar(&f.context, "context", nil, "a string in $context, PATH=VALUE with a dotted PATH (repeatable)")
	fl.BoolVar(&f.response, "response", false, "render an integration response template: the body is the integration's response")
	fl.StringVar(&f.format, "format", "text", "diagnostics format: text, json, sarif, junit or github")
	_ = cmd.MarkFlagRequired("template")
	_ = cmd.MarkFlagFilename("template")
	_ = cmd.MarkFlagFilename("input", "json")
	_ = cmd.RegisterFlagCompletionFunc("param", cobra.FixedCompletions(
		[]string{"path.", "querystring.", "header."}, cobra.ShellCompDirectiveNoSpace|cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("context", cobra.FixedCompletions(
		[]string{"requestId=", "stage=", "httpMethod=", "resourcePath=", "identity.sourceIp=", "identity.userAgent=", "authorizer.principalId="},
		cobra.ShellCompDirectiveNoSpace|cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(
		[]string{"text", "json", "sarif", "junit", "github"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func runRender(cmd *cobra.Command, f *renderFlags) error {
	format, err := diag.ParseFormat(f.format)
	if err != nil {
		return usageErrorf("--format: %v", err)
	}
	p := &diagPrinter{cmd: cmd, format: format, sources: map[string][]byte{}}

	src, err := os.ReadFile(f.template)
	if err != nil {
		return usageErrorf("read template: %v", err)
	}
	p.sources[f.template] = src

	req := &apigw.Request{Context: apigw.NewContext()}
	if f.input != "" {
		name, data, err := readInput(cmd, f.input)
		if err != nil {
			return err
		}
		p.sources[name] = data
		req, err = apigw.ParseInput(data)
		if err != nil {
			var ie *apigw.InputError
			if !errors.As(err, &ie) {
				return usageErrorf("%s: %v", name, err)
			}
			pos := schema.NewFile(name, data).Pos(ie.Offset)
			return p.fail(ExitUsage, diag.Diagnostic{Code: codeRenderInput, Message: ie.Msg, Range: diag.At(pos)})
		}
	}
	if err := applyRenderFlags(cmd, f, req); err != nil {
		return err
	}
	req.IsResponse = f.response

	t, err := vtl.Parse(f.template, string(src))
	if err != nil {
		return p.vtlError(err, codeTemplateSyntax)
	}
	var out bytes.Buffer
	o, err := apigw.Render(t, req, &out)
	if err != nil {
		return p.vtlError(err, codeTemplateRender)
	}
	if _, err := cmd.OutOrStdout().Write(out.Bytes()); err != nil {
		return &exitError{code: ExitUsage, err: err}
	}
	printOverrides(cmd.ErrOrStderr(), o, f.response)
	return nil
}

// printOverrides lists, on stderr, the overrides the template set, as the
// template would write them.
func printOverrides(w io.Writer, o apigw.Overrides, response bool) {
	note := ""
	if response {
		note = " (ignored: a response template's request overrides do not apply)"
	}
	list := func(what string, p apigw.Params, note string) {
		for i := 0; i < p.Len(); i++ {
			name, value := p.At(i)
			fmt.Fprintf(w, "override: $context.%s.%s = %s%s\n", what, name, value, note)
		}
	}
	if o.ResponseStatus != 0 {
		fmt.Fprintf(w, "override: $context.responseOverride.status = %d\n", o.ResponseStatus)
	}
	list("responseOverride.header", o.ResponseHeader, "")
	list("requestOverride.header", o.RequestHeader, note)
	list("requestOverride.querystring", o.RequestQueryString, note)
	list("requestOverride.path", o.RequestPath, note)
}

// readInput reads the input file, or stdin for "-".
func readInput(cmd *cobra.Command, name string) (string, []byte, error) {
	var (
		data []byte
		err  error
	)
	if name == "-" {
		name = stdinName
		data, err = io.ReadAll(cmd.InOrStdin())
	} else {
		data, err = os.ReadFile(name)
	}
	if err != nil {
		return "", nil, usageErrorf("read input: %v", err)
	}
	return name, data, nil
}

// applyRenderFlags adds the values given by flags to req, after the input
// file's, so that they override it.
func applyRenderFlags(cmd *cobra.Command, f *renderFlags, req *apigw.Request) error {
	if cmd.Flags().Changed("body") {
		req.Body = []byte(f.body)
	}
	for _, a := range f.params {
		k, v, ok := strings.Cut(a, "=")
		loc, name, dotted := strings.Cut(k, ".")
		if !ok || !dotted || name == "" {
			return usageErrorf("--param %q: want LOCATION.NAME=VALUE, as in path.id=7", a)
		}
		switch loc {
		case "path":
			req.Path.Add(name, v)
		case "querystring":
			req.QueryString.Add(name, v)
		case "header":
			req.Header.Add(name, v)
		default:
			return usageErrorf("--param %q: unknown location %q (want path, querystring or header)", a, loc)
		}
	}
	for _, a := range f.stageVars {
		k, v, ok := strings.Cut(a, "=")
		if !ok || k == "" {
			return usageErrorf("--stage-var %q: want NAME=VALUE", a)
		}
		req.StageVariables.Add(k, v)
	}
	for _, a := range f.context {
		k, v, ok := strings.Cut(a, "=")
		if !ok || k == "" || strings.HasPrefix(k, ".") || strings.HasSuffix(k, ".") || strings.Contains(k, "..") {
			return usageErrorf("--context %q: want PATH=VALUE, as in identity.sourceIp=203.0.113.7", a)
		}
		if err := setContextString(req.Context, k, v); err != nil {
			return usageErrorf("--context %q: %v", a, err)
		}
	}
	return nil
}

// setContextString sets the dotted path in the $context map to a string,
// creating the maps on the way.
func setContextString(m *vtl.Map, path, value string) error {
	parts := strings.Split(path, ".")
	for i, p := range parts[:len(parts)-1] {
		next, ok := m.GetString(p)
		if !ok || next.IsNull() {
			c := vtl.NewMap(4)
			m.PutString(p, vtl.MapValue(c))
			m = c
			continue
		}
		if m = next.Map(); m == nil {
			return fmt.Errorf("%s is not an object", strings.Join(parts[:i+1], "."))
		}
	}
	m.PutString(parts[len(parts)-1], vtl.String(value))
	return nil
}

// diagPrinter prints render's diagnostics. They go to stderr in every
// format, because stdout is the rendered output.
type diagPrinter struct {
	cmd     *cobra.Command
	format  diag.Format
	sources map[string][]byte
}

// vtlError reports a template error, which exits 1; any other error (the
// output could not be written) exits 2.
func (p *diagPrinter) vtlError(err error, code string) error {
	var ve *vtl.Error
	if !errors.As(err, &ve) {
		return &exitError{code: ExitUsage, err: err}
	}
	pos := diag.Pos{File: ve.Name, Line: ve.Line, Col: ve.Col}
	return p.fail(ExitFindings, diag.Diagnostic{Code: code, Message: ve.Msg, Range: diag.At(pos)})
}

// fail prints d and returns the exit error for code.
func (p *diagPrinter) fail(code int, d diag.Diagnostic) error {
	d.Severity = diag.Error
	out := p.cmd.ErrOrStderr()
	opt := diag.Options{
		Tool:    diag.Tool{Name: "gwc", Version: version(), InformationURI: "https://gwc.dev"},
		Command: "render",
		Excerpt: p.format == diag.FormatText && isTerminal(out),
		Source: func(name string) ([]byte, bool) {
			b, ok := p.sources[name]
			return b, ok
		},
	}
	if err := diag.Print(out, p.format, []diag.Diagnostic{d}, opt); err != nil {
		return &exitError{code: ExitUsage, err: err}
	}
	return &exitError{code: code}
}
