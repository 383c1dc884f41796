#!/usr/bin/env node
// validate.js runs AWS's offline CloudFormation validator,
// @aws/cloudformation-validate (the package aws-cdk-lib ships inside its own
// node_modules), over CloudFormation templates and prints what it finds as
// JSON.
//
//   node validate.js TEMPLATE...   validate the files; print a JSON array
//                                  with one report per file; exit 1 when a
//                                  report has an error, 2 when the
//                                  validator cannot run
//   node validate.js --stdin       read one request per line,
//                                  {"name": ..., "template": "<text>"}, and
//                                  answer each with one report line; the
//                                  engine is built once (it takes seconds),
//                                  which is why the Go tests use this mode
//
// A report is {"name", "status", "findings": [{"rule", "severity",
// "message", "resource", "path", "line"}]}, or {"name", "error"} when the
// template could not be validated at all. Findings below WARN are left
// out.
//
// The package is looked up in $GWC_CFN_VALIDATE_DIR, the directory holding
// node_modules (default: $XDG_CACHE_HOME/gwc/cfn-validate, else
// ~/.cache/gwc/cfn-validate). Install it there with
//
//   npm install --prefix DIR --no-audit --no-fund aws-cdk-lib@2.276.0 constructs
"use strict";

const fs = require("fs");
const os = require("os");
const path = require("path");
const readline = require("readline");

const ERRORS = new Set(["ERROR", "FATAL"]);

function packageDir() {
  const dir =
    process.env.GWC_CFN_VALIDATE_DIR ||
    path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "gwc", "cfn-validate");
  return path.join(dir, "node_modules", "aws-cdk-lib", "node_modules", "@aws", "cloudformation-validate");
}

function report(engine, name, template) {
  try {
    const r = engine.validateTemplate(template, { severityLevel: "WARN", detailLevel: "STANDARD" });
    return {
      name,
      status: r.status,
      findings: r.diagnostics.map((d) => ({
        rule: d.ruleId || "",
        severity: d.severity,
        message: d.message,
        resource: (d.entity && d.entity.logicalId) || "",
        path: d.propertyPath || "",
        line: d.startLine || 0,
      })),
    };
  } catch (err) {
    return { name, error: String(err) };
  }
}

function main(args) {
  let validate;
  try {
    validate = require(packageDir());
  } catch (err) {
    process.stderr.write(`validate.js: cannot load @aws/cloudformation-validate from ${packageDir()}: ${err.message}\n`);
    return 2;
  }
  const engine = new validate.CompositeEngine();
  if (args.length === 1 && args[0] === "--stdin") {
    const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
    lines.on("line", (line) => {
      if (line.trim() === "") return;
      let req;
      try {
        req = JSON.parse(line);
      } catch (err) {
        process.stdout.write(JSON.stringify({ name: "", error: `bad request: ${err.message}` }) + "\n");
        return;
      }
      const r = report(engine, req.name, new validate.TemplateContent(req.template, req.name));
      process.stdout.write(JSON.stringify(r) + "\n");
    });
    lines.on("close", () => engine.free());
    return undefined;
  }
  if (args.length === 0 || args.some((a) => a.startsWith("-"))) {
    process.stderr.write("usage: node validate.js TEMPLATE... | node validate.js --stdin\n");
    return 2;
  }
  const reports = args.map((f) =>
    fs.existsSync(f) ? report(engine, f, new validate.TemplateFile(f)) : { name: f, error: "no such file" },
  );
  engine.free();
  process.stdout.write(JSON.stringify(reports, null, 2) + "\n");
  const failed = reports.some((r) => r.error || r.findings.some((f) => ERRORS.has(f.severity)));
  return failed ? 1 : 0;
}

const code = main(process.argv.slice(2));
if (code !== undefined) process.exitCode = code;
