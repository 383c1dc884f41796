package lambda

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Argv is a command line: the executable and its arguments. In a
// configuration file it is a list of words or one string, which is split
// as SplitCommand splits it.
type Argv []string

// UnmarshalText splits a string into words (YAML scalars come here).
func (a *Argv) UnmarshalText(b []byte) error {
	words, err := SplitCommand(string(b))
	if err != nil {
		return err
	}
	*a = words
	return nil
}

// UnmarshalJSON reads a list of words or a string to split.
func (a *Argv) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		return a.UnmarshalText([]byte(s))
	}
	var words []string
	if err := json.Unmarshal(b, &words); err != nil {
		return errors.New("command: want a string or a list of strings")
	}
	*a = words
	return nil
}

// ParseFunctionFlag reads the value of gwc serve's --function flag,
// NAME=COMMAND: NAME is a function name or a full function ARN, COMMAND
// the function's command line, split by SplitCommand.
func ParseFunctionFlag(v string) (LocalFunction, error) {
	name, command, ok := strings.Cut(v, "=")
	name = strings.TrimSpace(name)
	if !ok || name == "" {
		return LocalFunction{}, fmt.Errorf("--function %q: want NAME=COMMAND", v)
	}
	words, err := SplitCommand(command)
	if err != nil {
		return LocalFunction{}, fmt.Errorf("--function %s: %v", name, err)
	}
	if len(words) == 0 {
		return LocalFunction{}, fmt.Errorf("--function %s: no command", name)
	}
	return LocalFunction{Name: name, Command: words}, nil
}

// SplitCommand splits a command line into words as a POSIX shell does,
// quotes and backslashes included, but expands nothing: no variables, no
// globs, no ~. The command is then run directly, not through sh -c, so
// that the process gwc starts, signals, times and measures is the
// function's own; a command that needs a shell says so: sh -c '…'.
func SplitCommand(s string) ([]string, error) {
	var (
		words []string
		word  strings.Builder
		in    bool // a word has started (even an empty quoted one)
	)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			if in {
				words = append(words, word.String())
				word.Reset()
				in = false
			}
		case c == '\\':
			in = true
			if i+1 < len(s) {
				i++
				if s[i] != '\n' { // backslash-newline joins lines
					word.WriteByte(s[i])
				}
			}
		case c == '\'':
			in = true
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				return nil, errors.New("unterminated ' in command")
			}
			word.WriteString(s[i+1 : i+1+j])
			i += j + 1
		case c == '"':
			in = true
			i++
			for ; i < len(s) && s[i] != '"'; i++ {
				// Inside double quotes a backslash escapes only the
				// characters the shell gives meaning there.
				if s[i] == '\\' && i+1 < len(s) && strings.IndexByte("\"\\$`\n", s[i+1]) >= 0 {
					i++
					if s[i] == '\n' {
						continue
					}
				}
				word.WriteByte(s[i])
			}
			if i >= len(s) {
				return nil, errors.New(`unterminated " in command`)
			}
		default:
			in = true
			word.WriteByte(c)
		}
	}
	if in {
		words = append(words, word.String())
	}
	return words, nil
}
