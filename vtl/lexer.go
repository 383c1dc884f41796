package vtl

// The lexer is a port of the token manager that JavaCC generates from
// Velocity 1.7's Parser.jjt: the same lexical states, the same token
// definitions, the same longest-match rule (ties go to the token defined
// first) and the same state-stack actions. Velocity's odd corners (where
// whitespace is eaten, when "$" or "#" is plain text, what "$a-b" means)
// all fall out of this machine, so it is reproduced rather than redesigned.

type lexState uint8

const (
	stDefault lexState = iota
	stPreDirective
	stDirective
	stReference
	stRefModifier
	stRefMod2
	stRefIndex
	stSingleLineComment
	stFormalComment
	stMultiLineComment
	stTextblock
)

type tokKind uint8

const (
	tEOF tokKind = iota
	tIndexLBracket
	tIndexRBracket
	tLBracket
	tRBracket
	tComma
	tDoubleDot
	tColon
	tLeftCurley
	tRightCurley
	tLParen
	tRParen
	tRefMod2RParen
	tEscapeDirective
	tSetDirective
	tSingleLineCommentStart
	tDoubleEscape
	tEscape
	tText
	tSingleLineComment
	tFormalComment
	tMultiLineComment
	tTextblock
	tWhitespace
	tStringLiteral
	tTrue
	tFalse
	tMinus
	tPlus
	tMultiply
	tDivide
	tModulus
	tAnd
	tOr
	tLT
	tLE
	tGT
	tGE
	tEQ
	tNE
	tNot
	tEquals
	tEnd
	tIf
	tElseIf
	tElse
	tIntegerLiteral
	tFloatLiteral
	tWord
	tBracketedWord
	tIdentifier
	tDot
	tLCurly
	tRCurly
	tEmptyIndex
	// Kinds below never reach the parser: they are the MORE, SKIP and
	// SPECIAL_TOKEN matches of the token manager.
	kMore
	kSkip
	kSpecial
)

// token is one token as JavaCC would produce it. image includes any MORE
// prefix (the "$" of "$foo" belongs to the IDENTIFIER token), and special is
// the text Velocity would print for the special tokens (reference and
// directive terminators) that preceded it.
type token struct {
	kind    tokKind
	image   string
	pos     int // offset of the first byte of image in the source
	end     int // offset just past the token
	special string
}

type savedState struct {
	lparen, rparen int
	state          lexState
}

type lexer struct {
	src   string
	pos   int
	state lexState
	stack []savedState

	lparen, rparen int
	inComment      bool
	inSet          bool

	err *lexError
}

// lexError reports text that no token of the current state matches, which
// Velocity reports as a "Lexical error".
type lexError struct {
	pos int
	msg string
}

func (l *lexer) push() {
	l.stack = append(l.stack, savedState{l.lparen, l.rparen, l.state})
	l.lparen = 0
}

func (l *lexer) pop() bool {
	if len(l.stack) == 0 {
		l.lparen = 0
		l.state = stDefault
		return false
	}
	s := l.stack[len(l.stack)-1]
	l.stack = l.stack[:len(l.stack)-1]
	l.lparen, l.rparen, l.state = s.lparen, s.rparen, s.state
	return true
}

// rparenHandler drops down to the state below the one whose "(" this ")"
// closes, as Velocity's RPARENHandler does.
func (l *lexer) rparenHandler() {
	if l.inComment {
		return
	}
	for {
		if l.lparen > 0 {
			if l.lparen == l.rparen+1 {
				l.pop()
			} else {
				l.rparen++
			}
			return
		}
		if !l.pop() {
			return
		}
	}
}

func isLetter(c byte) bool    { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool     { return c >= '0' && c <= '9' }
func isDirChar(c byte) bool   { return isLetter(c) || isDigit(c) || c == '_' || c == '@' }
func isIdentChar(c byte) bool { return isLetter(c) || isDigit(c) || c == '-' || c == '_' }

func (l *lexer) at(i int) byte {
	if i < len(l.src) {
		return l.src[i]
	}
	return 0
}

func (l *lexer) hasPrefix(i int, s string) bool {
	return len(l.src)-i >= len(s) && l.src[i:i+len(s)] == s
}

// next returns the next token for the parser.
func (l *lexer) next() token {
	start := l.pos // start of the image, MORE prefixes included
	special := ""
	for {
		if l.err != nil {
			return token{kind: tEOF, pos: l.pos, end: l.pos}
		}
		if l.pos >= len(l.src) {
			if l.pos > start {
				// JavaCC reports EOF in the middle of a MORE sequence as
				// a lexical error ("a$" and "a#" do not parse).
				l.err = &lexError{pos: l.pos, msg: "unexpected end of template after \"" + l.src[start:l.pos] + "\""}
			}
			return token{kind: tEOF, pos: l.pos, end: l.pos, special: special}
		}
		kind, n := l.match()
		if n == 0 {
			l.err = &lexError{pos: l.pos, msg: "unexpected character " + quoteByte(l.src[l.pos])}
			return token{kind: tEOF, pos: l.pos, end: l.pos}
		}
		matchStart := l.pos
		l.pos += n
		switch kind {
		case kMore:
			l.moreAction(matchStart)
			continue
		case kSkip:
			start = l.pos
			continue
		case kSpecial:
			// Terminators give their character back to the input.
			l.pos--
			special += specialText(l.src[start : l.pos+1])
			if l.state == stPreDirective {
				l.pop()
			} else {
				l.pop()
			}
			start = l.pos
			continue
		}
		t := token{kind: kind, image: l.src[start:l.pos], pos: start, end: l.pos, special: special}
		l.tokenAction(&t, matchStart)
		return t
	}
}

func quoteByte(c byte) string {
	switch c {
	case '"':
		return `'"'`
	case '\n':
		return `"\n"`
	}
	return `"` + string(rune(c)) + `"`
}

// specialText keeps, of a special token's image, only what Velocity's
// NodeUtils.getSpecialText prints: "#" and "$" characters and runs of
// backslashes that end in "$".
func specialText(img string) string {
	var b []byte
	for i := 0; i < len(img); i++ {
		c := img[i]
		if c == '#' || c == '$' {
			b = append(b, c)
		}
		if c == '\\' {
			j := i
			for j < len(img) && img[j] == '\\' {
				j++
			}
			if j < len(img) && img[j] == '$' {
				b = append(b, img[i:j+1]...)
				i = j
			}
		}
	}
	return string(b)
}

// moreAction runs the lexical action of a MORE match that began at start.
func (l *lexer) moreAction(start int) {
	if l.inComment {
		return
	}
	c := l.src[start]
	switch {
	case c == '\\' || c == '$': // DOLLAR, DOLLARBANG
		if l.state == stReference {
			l.pop()
		}
		l.push()
		l.state = stReference
	case l.hasPrefix(start, "#[["):
		l.inComment = true
		l.push()
		l.state = stTextblock
	case l.pos-start == 4: // "#**" followed by a non-'#', which is given back
		l.pos--
		l.inComment = true
		l.push()
		l.state = stFormalComment
	case l.pos-start == 2: // "#*"
		l.inComment = true
		l.push()
		l.state = stMultiLineComment
	default: // HASH
		if l.state == stReference || l.state == stRefModifier {
			l.pop()
		}
		l.push()
		l.state = stPreDirective
	}
}

// tokenAction runs the lexical action of token t, whose final match began
// at matchStart.
func (l *lexer) tokenAction(t *token, matchStart int) {
	switch t.kind {
	case tIndexLBracket:
		l.push()
		l.state = stRefIndex
	case tIndexRBracket:
		l.pop()
	case tLParen:
		if !l.inComment {
			l.lparen++
		}
		if l.state == stRefModifier {
			l.state = stRefMod2
		}
	case tRParen:
		l.rparenHandler()
	case tRefMod2RParen:
		l.state = stReference
	case tSetDirective:
		if !l.inComment {
			l.push()
			l.inSet = true
			l.state = stDirective
			l.lparen++
		}
	case tSingleLineCommentStart:
		if !l.inComment {
			if l.state == stReference {
				l.pop()
			}
			l.inComment = true
			l.push()
			l.state = stSingleLineComment
		}
	case tSingleLineComment, tFormalComment, tMultiLineComment, tTextblock:
		l.inComment = false
		l.pop()
	case tStringLiteral:
		if l.state == stDirective && !l.inSet && l.lparen == 0 {
			l.pop()
		}
	case tEnd, tElse:
		l.pop()
	case tIf, tElseIf:
		l.state = stDirective
	case tIntegerLiteral:
		if len(t.image) >= 2 && t.image[len(t.image)-2:] == ".." && l.pos-matchStart > 2 && l.src[l.pos-2:l.pos] == ".." {
			l.pos -= 2
			t.end = l.pos
			t.image = l.src[t.pos:l.pos]
		}
		if l.lparen == 0 && !l.inSet && l.state != stRefMod2 && l.state != stRefIndex {
			l.pop()
		}
	case tFloatLiteral:
		if l.lparen == 0 && !l.inSet && l.state != stRefMod2 {
			l.pop()
		}
	case tDot:
		l.pos-- // give back the letter that begins the identifier
		t.end = l.pos
		t.image = "."
		l.state = stRefModifier
	case tRCurly:
		l.pop()
	}
}

// switchTo is the parser's direct state change (Directive() does it).
func (l *lexer) switchTo(s lexState) { l.state = s }

// isLeftParenthesis reports whether only whitespace separates the current
// position from a "(", reading the source directly as Velocity's parser does.
func (l *lexer) isLeftParenthesis() bool {
	for i := l.pos; i < len(l.src); i++ {
		switch l.src[i] {
		case '(':
			return true
		case ' ', '\n', '\r', '\t':
		default:
			return false
		}
	}
	return false
}

// match finds the longest match in the current state at l.pos. Among
// matches of equal length the token defined first in Parser.jjt wins, so
// candidates are tried in definition order and replaced only by longer ones.
func (l *lexer) match() (tokKind, int) {
	s := l.state
	p := l.pos
	best, bestN := tEOF, 0
	try := func(k tokKind, n int) {
		if n > bestN {
			best, bestN = k, n
		}
	}
	c := l.src[p]
	inDirOrMod2 := s == stDirective || s == stRefMod2
	switch s {
	case stReference, stRefModifier:
		if c == '[' {
			try(tIndexLBracket, 1)
		}
	case stRefIndex:
		if c == ']' {
			try(tIndexRBracket, 1)
		}
	}
	if inDirOrMod2 {
		switch c {
		case '[':
			try(tLBracket, 1)
		case ']':
			try(tRBracket, 1)
		case ',':
			try(tComma, 1)
		case '.':
			if l.at(p+1) == '.' {
				try(tDoubleDot, 2)
			}
		case ':':
			try(tColon, 1)
		case '{':
			try(tLeftCurley, 1)
		case '}':
			try(tRightCurley, 1)
		}
	}
	if c == '(' && (s == stDirective || s == stRefModifier) {
		try(tLParen, 1)
	}
	if c == ')' {
		if s == stDirective {
			try(tRParen, l.rparenLen(p))
		} else if s == stRefMod2 {
			try(tRefMod2RParen, 1)
		}
	}
	if s == stDefault && (c == '\\') {
		try(tEscapeDirective, l.escapeDirectiveLen(p))
	}
	if s == stDefault || s == stReference || s == stRefModifier || s == stRefMod2 {
		try(tSetDirective, l.setDirectiveLen(p))
	}
	// MORE tokens, defined for every state.
	if c == '\\' || c == '$' {
		j := p
		for j < len(l.src) && l.src[j] == '\\' {
			j++
		}
		if l.at(j) == '$' {
			try(kMore, j+1-p) // DOLLAR
			k := j + 1
			for k < len(l.src) && l.src[k] == '\\' {
				k++
			}
			if l.at(k) == '!' {
				try(kMore, k+1-p) // DOLLARBANG
			}
		}
	}
	commentLike := s == stSingleLineComment || s == stFormalComment || s == stMultiLineComment || s == stTextblock
	if c == '#' {
		if l.hasPrefix(p, "#[[") {
			try(kMore, 3)
		}
		if l.hasPrefix(p, "#**") && p+3 < len(l.src) && l.src[p+3] != '#' {
			try(kMore, 4)
		}
		if l.hasPrefix(p, "#*") {
			try(kMore, 2)
		}
		try(kMore, 1) // HASH
		// "##" starts a comment in these states only: after "$a.b" (in
		// REFMODIFIER) it is plain text, as Velocity 1.7 renders it.
		if l.at(p+1) == '#' && !commentLike && s != stRefModifier {
			try(tSingleLineCommentStart, 2)
		}
	}
	switch s {
	case stDefault:
		if c == '\\' {
			if l.at(p+1) == '\\' {
				try(tDoubleEscape, 2)
			}
			try(tEscape, 1)
		} else if c != '$' && c != '#' {
			j := p
			for j < len(l.src) && l.src[j] != '$' && l.src[j] != '#' && l.src[j] != '\\' {
				j++
			}
			try(tText, j-p)
		}
	case stSingleLineComment:
		if c == '\n' || c == '\r' {
			n := 1
			if c == '\r' && l.at(p+1) == '\n' {
				n = 2
			}
			try(tSingleLineComment, n)
		}
		try(kSkip, 1)
	case stFormalComment:
		if c == '*' && l.at(p+1) == '#' {
			try(tFormalComment, 2)
		}
		try(kSkip, 1)
	case stMultiLineComment:
		if c == '*' && l.at(p+1) == '#' {
			try(tMultiLineComment, 2)
		}
		try(kSkip, 1)
	case stTextblock:
		if l.hasPrefix(p, "]]#") {
			try(tTextblock, 3)
		}
		try(kMore, 1)
	}
	if s == stDirective || s == stRefMod2 || s == stRefIndex {
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
			j := p
			for j < len(l.src) && (l.src[j] == ' ' || l.src[j] == '\t' || l.src[j] == '\n' || l.src[j] == '\r') {
				j++
			}
			try(tWhitespace, j-p)
		}
		if c == '"' || c == '\'' {
			try(tStringLiteral, l.stringLen(p))
		}
	}
	if s == stReference || s == stDirective || s == stRefModifier || s == stRefMod2 || s == stRefIndex {
		if l.hasPrefix(p, "true") {
			try(tTrue, 4)
		}
		if l.hasPrefix(p, "false") {
			try(tFalse, 5)
		}
	}
	if s == stDirective {
		l.matchOperator(p, try)
	}
	if s == stPreDirective {
		l.matchControl(p, try)
	}
	if s == stPreDirective || s == stDirective || s == stRefMod2 || s == stRefIndex {
		l.matchNumber(p, try)
	}
	if s == stPreDirective || s == stDirective {
		if isLetter(c) || c == '_' || c == '@' {
			j := p + 1
			for j < len(l.src) && isDirChar(l.src[j]) {
				j++
			}
			try(tWord, j-p)
		}
		if n := bracketedWordLen(l.src, p); n > 0 {
			try(tBracketedWord, n)
		}
	}
	if s == stReference || s == stRefModifier || s == stRefMod2 {
		if isLetter(c) || c == '_' {
			j := p + 1
			for j < len(l.src) && isIdentChar(l.src[j]) {
				j++
			}
			try(tIdentifier, j-p)
		}
		// DOT matches after a MORE prefix too ("\$.a" lexes as a DOT
		// whose action drops the "\$" from the image, then "a"); "$."
		// itself is EMPTY_INDEX, which beats the shorter "$".
		if c == '.' && isLetter(l.at(p+1)) {
			try(tDot, 2)
		}
	}
	if s == stReference || s == stRefModifier {
		if c == '{' {
			try(tLCurly, 1)
		}
		if c == '}' {
			try(tRCurly, 1)
		}
		try(kSpecial, 1) // REFERENCE_TERMINATOR
	}
	if s == stPreDirective {
		try(kSpecial, 1) // DIRECTIVE_TERMINATOR
	}
	// EMPTY_INDEX, a token without an action: it leaves the state as it
	// is, so after "$u" the lexer stays in REFERENCE ("$u$.[1]" goes on
	// with an index bracket, which the parser rejects, and "$u$.x" with
	// an identifier).
	if (s == stDefault || s == stReference) && c == '$' {
		switch {
		case l.hasPrefix(p, "$."):
			try(tEmptyIndex, 2)
		case l.hasPrefix(p, "$["):
			try(tEmptyIndex, 2)
		case l.hasPrefix(p, "$!["):
			try(tEmptyIndex, 3)
		case l.hasPrefix(p, "$\\!["):
			try(tEmptyIndex, 4)
		}
	}
	return best, bestN
}

// rparenLen matches ")" ( [ \t]* ( "\n" | "\r" | "\r\n" ) )?: a directive's
// closing parenthesis eats the rest of its line when only blanks follow.
func (l *lexer) rparenLen(p int) int {
	j := p + 1
	for j < len(l.src) && (l.src[j] == ' ' || l.src[j] == '\t') {
		j++
	}
	switch l.at(j) {
	case '\n':
		return j + 1 - p
	case '\r':
		if l.at(j+1) == '\n' {
			return j + 2 - p
		}
		return j + 1 - p
	}
	return 1
}

// lineEndLen matches ( [ \t]* ( "\n" | "\r" | "\r\n" ) )? at p.
func (l *lexer) lineEndLen(p int) int {
	j := p
	for j < len(l.src) && (l.src[j] == ' ' || l.src[j] == '\t') {
		j++
	}
	switch l.at(j) {
	case '\n':
		return j + 1 - p
	case '\r':
		if l.at(j+1) == '\n' {
			return j + 2 - p
		}
		return j + 1 - p
	}
	return 0
}

func wordLen(src string, p int) int {
	if p >= len(src) {
		return 0
	}
	c := src[p]
	if !(isLetter(c) || c == '_' || c == '@') {
		return 0
	}
	j := p + 1
	for j < len(src) && isDirChar(src[j]) {
		j++
	}
	return j - p
}

func bracketedWordLen(src string, p int) int {
	if p+2 >= len(src) || src[p] != '{' {
		return 0
	}
	c := src[p+1]
	if !(isLetter(c) || c == '_') {
		return 0
	}
	j := p + 2
	for j < len(src) && isDirChar(src[j]) {
		j++
	}
	if j < len(src) && src[j] == '}' {
		return j + 1 - p
	}
	return 0
}

// escapeDirectiveLen matches (\\\\)* "\#" (WORD | BRACKETED_WORD).
func (l *lexer) escapeDirectiveLen(p int) int {
	j := p
	for j < len(l.src) && l.src[j] == '\\' {
		j++
	}
	if (j-p)%2 == 0 || l.at(j) != '#' {
		return 0
	}
	if n := wordLen(l.src, j+1); n > 0 {
		return j + 1 + n - p
	}
	if n := bracketedWordLen(l.src, j+1); n > 0 {
		return j + 1 + n - p
	}
	return 0
}

// setDirectiveLen matches (" "|"\t")* ("#set" | "#{set}") (" ")* "(".
func (l *lexer) setDirectiveLen(p int) int {
	j := p
	for j < len(l.src) && (l.src[j] == ' ' || l.src[j] == '\t') {
		j++
	}
	switch {
	case l.hasPrefix(j, "#set"):
		j += 4
	case l.hasPrefix(j, "#{set}"):
		j += 6
	default:
		return 0
	}
	for j < len(l.src) && l.src[j] == ' ' {
		j++
	}
	if l.at(j) != '(' {
		return 0
	}
	return j + 1 - p
}

// stringLen matches a STRING_LITERAL at p: a quoted run in which a doubled
// quote stands for one quote. Backslashes escape nothing.
func (l *lexer) stringLen(p int) int {
	q := l.src[p]
	for j := p + 1; j < len(l.src); j++ {
		if l.src[j] == q {
			if j+1 < len(l.src) && l.src[j+1] == q {
				j++
				continue
			}
			return j + 1 - p
		}
	}
	// An unterminated doubled quote leaves the longest match ending at
	// the first quote of the last pair.
	best := 0
	for j := p + 1; j < len(l.src); j++ {
		if l.src[j] == q {
			best = j + 1 - p
			break
		}
	}
	return best
}

func (l *lexer) matchOperator(p int, try func(tokKind, int)) {
	c := l.src[p]
	n1 := l.at(p + 1)
	switch c {
	case '-':
		try(tMinus, 1)
	case '+':
		try(tPlus, 1)
	case '*':
		try(tMultiply, 1)
	case '/':
		try(tDivide, 1)
	case '%':
		try(tModulus, 1)
	case '&':
		if n1 == '&' {
			try(tAnd, 2)
		}
	case '|':
		if n1 == '|' {
			try(tOr, 2)
		}
	case '<':
		try(tLT, 1)
		if n1 == '=' {
			try(tLE, 2)
		}
	case '>':
		try(tGT, 1)
		if n1 == '=' {
			try(tGE, 2)
		}
	case '=':
		if n1 == '=' {
			try(tEQ, 2)
		}
	case '!':
		if n1 == '=' {
			try(tNE, 2)
		}
		try(tNot, 1)
	}
	for _, w := range wordOperators {
		if l.hasPrefix(p, w.word) {
			try(w.kind, len(w.word))
		}
	}
	if c == '=' {
		try(tEquals, 1)
	}
}

var wordOperators = []struct {
	word string
	kind tokKind
}{
	{"and", tAnd}, {"or", tOr}, {"lt", tLT}, {"le", tLE}, {"gt", tGT},
	{"ge", tGE}, {"eq", tEQ}, {"ne", tNE}, {"not", tNot},
}

func (l *lexer) matchControl(p int, try func(tokKind, int)) {
	for _, w := range []struct {
		word    string
		kind    tokKind
		lineEnd bool
	}{
		{"end", tEnd, true}, {"{end}", tEnd, true},
		{"if", tIf, false}, {"{if}", tIf, false},
		{"elseif", tElseIf, false}, {"{elseif}", tElseIf, false},
		{"else", tElse, true}, {"{else}", tElse, true},
	} {
		if l.hasPrefix(p, w.word) {
			n := len(w.word)
			if w.lineEnd {
				n += l.lineEndLen(p + n)
			}
			try(w.kind, n)
		}
	}
}

// matchNumber matches INTEGER_LITERAL (with a ".." suffix that the action
// gives back) and FLOATING_POINT_LITERAL.
func (l *lexer) matchNumber(p int, try func(tokKind, int)) {
	j := p
	if l.at(j) == '-' {
		j++
	}
	d := j
	for j < len(l.src) && isDigit(l.src[j]) {
		j++
	}
	digits := j - d
	if digits > 0 {
		n := j - p
		if l.hasPrefix(j, "..") {
			n += 2
		}
		try(tIntegerLiteral, n)
	}
	exp := func(k int) int { // length of an exponent at k, or 0
		if k >= len(l.src) || (l.src[k] != 'e' && l.src[k] != 'E') {
			return 0
		}
		m := k + 1
		if m < len(l.src) && (l.src[m] == '+' || l.src[m] == '-') {
			m++
		}
		e := m
		for m < len(l.src) && isDigit(l.src[m]) {
			m++
		}
		if m == e {
			return 0
		}
		return m - k
	}
	if digits > 0 {
		if l.at(j) == '.' {
			k := j + 1
			for k < len(l.src) && isDigit(l.src[k]) {
				k++
			}
			try(tFloatLiteral, k+exp(k)-p)
		}
		if e := exp(j); e > 0 {
			try(tFloatLiteral, j+e-p)
		}
	} else if l.at(j) == '.' && isDigit(l.at(j+1)) {
		k := j + 1
		for k < len(l.src) && isDigit(l.src[k]) {
			k++
		}
		try(tFloatLiteral, k+exp(k)-p)
	}
}
