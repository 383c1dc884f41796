package vtl

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// The parser follows the productions of Velocity 1.7's Parser.jjt, with the
// same lookahead decisions, over the tokens of the ported lexer.

// maxNesting bounds how deeply blocks, expressions and interpolated strings
// may nest, so that a hostile template cannot exhaust the stack while parsing.
const maxNesting = 200

// builtinDirectives are the directives Velocity 1.7 registers by default,
// with whether each takes a body ending in #end.
var builtinDirectives = map[string]bool{
	"foreach": true, "include": false, "parse": false, "macro": true,
	"literal": true, "evaluate": false, "break": false, "define": true, "stop": false,
}

type parser struct {
	name string
	full string // the whole template, for positions
	base int    // offset of lex.src within full
	lex  *lexer

	toks []token // tokens read ahead
	idx  int     // next token in toks

	macros     map[string]*macroDef
	macroNames map[string]bool
	slots      *slotTable
	nesting    int
	err        *Error

	// lit is, while recording > 0, the text of the tokens consumed since
	// recording began as Velocity's SimpleNode.literal() gives it: what
	// an unresolved reference, an unknown macro call, a macro argument
	// bound by name or a #literal block prints. That is each token's
	// special text and image, which is not always the source text: the
	// token manager drops MORE prefixes and parts of special tokens, and
	// Velocity's nodes rewrite some images when they are parsed or
	// initialized (see record and reference).
	lit       []byte
	recording int
}

// parseError aborts parsing; it is recovered in parseTemplate.
type parseError struct{ err *Error }

func (p *parser) fail(off int, format string, args ...any) {
	panic(parseError{newError(p.name, p.full, p.base+off, format, args...)})
}

func (p *parser) fill(n int) {
	for len(p.toks)-p.idx <= n {
		t := p.lex.next()
		if p.lex.err != nil {
			p.fail(p.lex.err.pos, "%s", p.lex.err.msg)
		}
		p.toks = append(p.toks, t)
	}
}

func (p *parser) peek(n int) *token {
	p.fill(n)
	return &p.toks[p.idx+n]
}

func (p *parser) kind(n int) tokKind { return p.peek(n).kind }

func (p *parser) next() token {
	p.fill(0)
	t := p.toks[p.idx]
	p.idx++
	if p.idx == len(p.toks) {
		p.toks = p.toks[:0]
		p.idx = 0
	}
	if p.recording > 0 {
		p.record(&t)
	}
	return t
}

// record appends a consumed token's literal, as NodeUtils.tokenLiteral
// gives it: nothing for a "#* *#" comment, whose image is not kept, and
// otherwise the special text and the image.
func (p *parser) record(t *token) {
	if t.kind == tMultiLineComment {
		return
	}
	p.lit = append(p.lit, t.special...)
	p.lit = append(p.lit, t.image...)
}

// beginLiteral starts recording the literal of the tokens consumed from
// now on and returns the mark endLiteral takes. Recordings nest: an outer
// one goes on through an inner one.
func (p *parser) beginLiteral() int {
	p.recording++
	return len(p.lit)
}

// endLiteral ends the recording begun at mark and returns its text.
func (p *parser) endLiteral(mark, from, to int) string {
	s := p.literalSince(mark, from, to)
	p.stopLiteral()
	return s
}

// literalSince is the text recorded since mark. That text is most often
// the source between from and to, which is returned then, so that parsing
// allocates no copy.
func (p *parser) literalSince(mark, from, to int) string {
	if s := p.lex.src[from:to]; string(p.lit[mark:]) == s {
		return s
	}
	return string(p.lit[mark:])
}

// stopLiteral ends a recording whose text is not needed.
func (p *parser) stopLiteral() {
	p.recording--
	if p.recording == 0 {
		p.lit = p.lit[:0]
	}
}

// mark and reset give syntactic lookahead: tokens read while looking ahead
// stay buffered, so resetting never re-lexes.
func (p *parser) mark() int { return p.idx }

func (p *parser) expect(k tokKind, what string) token {
	t := p.peek(0)
	if t.kind != k {
		p.unexpected(t, what)
	}
	return p.next()
}

func (p *parser) unexpected(t *token, what string) {
	if t.kind == tEOF {
		p.fail(t.pos, "unexpected end of template, expecting %s", what)
	}
	p.fail(t.pos, "unexpected %s, expecting %s", describe(t), what)
}

func describe(t *token) string {
	img := t.image
	if len(img) > 20 {
		img = img[:20] + "..."
	}
	return strconv.Quote(img)
}

func (p *parser) enter(off int) {
	p.nesting++
	if p.nesting > maxNesting {
		p.fail(off, "template nests deeper than %d levels", maxNesting)
	}
}

func (p *parser) leave() { p.nesting-- }

// parseTemplate parses src (which starts at offset base of full).
func parseTemplate(name, full string, base int, src string, macros map[string]*macroDef, slots *slotTable) (nodes []node, err *Error) {
	p := &parser{
		name: name, full: full, base: base,
		lex:        &lexer{src: src},
		macros:     macros,
		macroNames: map[string]bool{},
		slots:      slots,
	}
	defer func() {
		if r := recover(); r != nil {
			pe, ok := r.(parseError)
			if !ok {
				panic(r)
			}
			nodes, err = nil, pe.err
		}
	}()
	nodes = p.statements()
	if t := p.peek(0); t.kind != tEOF {
		p.fail(t.pos, "unexpected %s", describe(t))
	}
	return nodes, nil
}

// statements parses Statement()* and merges adjacent text.
func (p *parser) statements() []node {
	var out []node
	add := func(n node) {
		if tn, ok := n.(*textNode); ok {
			if tn.text == "" {
				return
			}
			if len(out) > 0 {
				if prev, ok := out[len(out)-1].(*textNode); ok {
					out[len(out)-1] = &textNode{prev.text + tn.text}
					return
				}
			}
		}
		out = append(out, n)
	}
	for {
		t := p.peek(0)
		switch t.kind {
		case tIf:
			add(p.ifStatement())
		case tIdentifier:
			add(p.reference())
		case tLCurly:
			if p.kind(1) == tIdentifier {
				add(p.reference())
			} else {
				p.next()
				add(&textNode{t.special + t.image})
			}
		case tSingleLineCommentStart:
			c := p.next()
			if p.kind(0) == tSingleLineComment {
				p.next()
			}
			add(&textNode{commentPrefix(c.image)})
		case tMultiLineComment, tFormalComment:
			c := p.next()
			add(&textNode{commentPrefix(c.image)})
		case tTextblock:
			c := p.next()
			if len(c.image) >= 6 {
				add(&textNode{c.image[3 : len(c.image)-3]})
			}
		case tSetDirective:
			add(p.setDirective())
		case tEscapeDirective:
			mark := len(p.lit)
			c := p.next()
			text := p.escapedDirective(c.image)
			if p.recording > 0 {
				// EscapedDirective() stores the text as the token's
				// image, which a literal then prints.
				p.lit = append(append(p.lit[:mark], c.special...), text...)
			}
			add(&textNode{text})
		case tDoubleEscape:
			add(p.escape())
		case tWord, tBracketedWord:
			add(p.directive())
		case tText, tDot, tRParen, tLParen, tIntegerLiteral, tFloatLiteral, tStringLiteral, tEscape, tRCurly, tEmptyIndex:
			p.next()
			add(&textNode{t.special + t.image})
		default:
			return out
		}
	}
}

// commentPrefix is what a comment prints: the text glued before its "##"
// or "#*" by the lexer (as in "$## comment", which prints "$").
func commentPrefix(img string) string {
	i := strings.Index(img, "##")
	j := strings.Index(img, "#*")
	switch {
	case i < 0 && j < 0:
		return ""
	case i < 0:
		return img[:j]
	case j < 0:
		return img[:i]
	}
	return img[:min(i, j)]
}

var controlWords = map[string]bool{"if": true, "end": true, "set": true, "else": true, "elseif": true, "stop": true}

// escapedDirective renders "\#name": a backslash hides a real directive
// (and halves the backslashes before it), but is kept before anything else.
func (p *parser) escapedDirective(img string) string {
	last := strings.LastIndexByte(img, '\\')
	dir := img[last+1:]
	tag := dir[1:]
	if strings.HasPrefix(tag, "{") {
		tag = tag[1 : len(tag)-1]
	}
	_, isDir := builtinDirectives[tag]
	if isDir || p.macroNames[tag] || controlWords[tag] {
		return img[:last/2] + dir
	}
	return img
}

// escape renders a run of "\\" pairs: each prints one backslash before a
// directive and two otherwise.
func (p *parser) escape() node {
	count := 0
	for p.kind(0) == tDoubleEscape {
		p.next()
		count++
	}
	nt := p.peek(0)
	control := false
	switch nt.kind {
	case tIf, tElse, tElseIf, tEnd:
		control = true
	}
	if len(nt.image) > 1 {
		// A directive, or a macro the template has defined so far (as
		// Velocity's parser asks its macro manager when it meets the
		// escape; "#{name}" is never one).
		if _, ok := builtinDirectives[nt.image[1:]]; ok || nt.kind == tWord && p.macroNames[nt.image[1:]] {
			control = true
		}
	}
	per := `\\`
	if control {
		per = `\`
	}
	return &textNode{strings.Repeat(per, count)}
}

func (p *parser) ifStatement() node {
	start := p.next()
	p.enter(start.pos)
	defer p.leave()
	n := &ifNode{}
	if p.kind(0) == tWhitespace {
		p.next()
	}
	p.expect(tLParen, `"(" after #if`)
	n.conds = append(n.conds, p.expression())
	p.expect(tRParen, `")" closing #if`)
	n.blocks = append(n.blocks, p.statements())
	for p.kind(0) == tElseIf {
		p.next()
		if p.kind(0) == tWhitespace {
			p.next()
		}
		p.expect(tLParen, `"(" after #elseif`)
		n.conds = append(n.conds, p.expression())
		p.expect(tRParen, `")" closing #elseif`)
		n.blocks = append(n.blocks, p.statements())
	}
	if p.kind(0) == tElse {
		p.next()
		n.hasEls = true
		n.els = p.statements()
	}
	p.expectEnd(start, "#if")
	return n
}

func (p *parser) expectEnd(start token, what string) {
	t := p.peek(0)
	if t.kind == tEnd {
		p.next()
		return
	}
	if t.kind == tEOF {
		p.fail(start.pos, "%s has no matching #end", what)
	}
	p.fail(t.pos, "unexpected %s inside %s, expecting #end", describe(t), what)
}

func (p *parser) setDirective() node {
	start := p.next()
	if p.kind(0) == tWhitespace {
		p.next()
	}
	if k := p.kind(0); k != tIdentifier && k != tLCurly {
		p.unexpected(p.peek(0), "a reference after #set(")
	}
	lhs := p.reference()
	if p.kind(0) == tWhitespace {
		p.next()
	}
	p.expect(tEquals, `"=" in #set`)
	rhs := p.expression()
	p.expect(tRParen, `")" closing #set`)
	p.lex.inSet = false
	if lhs.runt || lhs.escaped || len(lhs.parts) > 0 && lhs.parts[len(lhs.parts)-1].kind == partMethod {
		p.fail(lhs.pos, "left side of #set must be a variable, property or index")
	}
	return &setNode{pos: start.pos + p.base, lhs: lhs, rhs: rhs}
}

// directive parses #name, #name(args) and block directives.
func (p *parser) directive() node {
	// The call's literal, which an unknown macro call prints, is recorded
	// up to its closing parenthesis.
	mark := p.beginLiteral()
	t := p.next()
	var name string
	if t.kind == tBracketedWord {
		name = t.image[2 : len(t.image)-1]
	} else {
		name = t.image[1:]
	}
	pos := t.pos + p.base
	isBlock, known := builtinDirectives[name]
	isMacro := name == "macro"
	if !known && strings.HasPrefix(name, "@") {
		isBlock = true
	}
	p.lex.switchTo(stDirective)
	if !p.lex.isLeftParenthesis() {
		p.stopLiteral()
		if isMacro {
			p.fail(t.pos, "a macro declaration requires at least a name argument")
		}
		p.lex.pop()
		switch name {
		case "stop":
			return &stopNode{pos: pos}
		case "break":
			return &breakNode{pos: pos}
		}
		if known {
			if isBlock {
				p.fail(t.pos, "#%s requires arguments in parentheses", name)
			}
			if name == "include" || name == "parse" || name == "evaluate" {
				return &errorNode{pos: pos, msg: "#" + name + " requires an argument"}
			}
		}
		return &macroCallNode{pos: pos, name: name, literal: t.image}
	}
	p.enter(t.pos)
	defer p.leave()
	if p.kind(0) == tWhitespace {
		p.next()
	}
	p.expect(tLParen, `"("`)
	var args []expr
	var argToks []token
	var argSrc []string
	for p.directiveArgAhead() {
		if p.kind(0) == tWhitespace {
			p.next()
		}
		if p.kind(0) == tComma {
			p.next()
			if p.kind(0) == tWhitespace {
				p.next()
			}
		}
		at := *p.peek(0)
		argMark := len(p.lit)
		a := p.directiveArg()
		if w, ok := a.(*wordExpr); ok {
			argPos := len(args)
			switch {
			case isMacro && argPos == 0:
			case known && !(name == "foreach" && argPos == 1):
				p.fail(at.pos, "invalid argument %d of #%s: %q is not a value", argPos, name, w.word)
			}
		} else if isMacro && len(args) == 0 {
			p.fail(at.pos, "the first argument of #macro must be the macro name, without quotes")
		}
		args = append(args, a)
		argToks = append(argToks, at)
		argSrc = append(argSrc, p.literalSince(argMark, at.pos, p.peek(0).pos))
	}
	if p.kind(0) == tWhitespace {
		p.next()
	}
	closing := p.expect(tRParen, `")" closing #`+name)
	literal := p.endLiteral(mark, t.pos, closing.end)

	if !isBlock {
		switch name {
		case "evaluate":
			if len(args) != 1 {
				p.fail(t.pos, "#evaluate takes exactly one argument")
			}
			return &evaluateNode{pos: pos, arg: args[0]}
		case "break":
			var a expr
			if len(args) > 0 {
				a = args[0]
			}
			return &breakNode{pos: pos, arg: a}
		case "stop":
			return &stopNode{pos: pos}
		case "include", "parse":
			return &errorNode{pos: pos, msg: "#" + name + " is not supported: templates cannot read files"}
		}
		return &macroCallNode{pos: pos, name: name, args: args, argSrc: argSrc, literal: literal}
	}

	bodyStart := p.lex.pos
	if len(p.toks) > p.idx {
		bodyStart = p.peek(0).pos
	}
	// #literal prints its block's literal, taken once Velocity has
	// initialized the block (so "\$a" in it prints "$a", as in a
	// reference's literal).
	var bodyMark int
	if name == "literal" {
		bodyMark = p.beginLiteral()
	}
	body := p.statements()
	bodyEnd := p.peek(0).pos
	var bodyLit string
	if name == "literal" {
		bodyLit = p.endLiteral(bodyMark, bodyStart, bodyEnd)
	}
	p.expectEnd(t, "#"+name)
	switch name {
	case "foreach":
		if len(args) < 3 {
			p.fail(t.pos, "#foreach needs three arguments, as in #foreach($item in $list)")
		}
		ref, ok := args[0].(*refNode)
		if !ok || ref.runt || len(ref.parts) > 0 {
			p.fail(argToks[0].pos, "the first argument of #foreach must be a variable")
		}
		return &foreachNode{
			pos: pos, varName: ref.root, iter: args[2], body: body,
			elem: p.slots.varSlot(ref.root), count: p.slots.varSlot("velocityCount"),
			hasNext: p.slots.varSlot("velocityHasNext"), scope: p.slots.varSlot("foreach"),
		}
	case "macro":
		if len(args) == 0 {
			p.fail(t.pos, "a macro definition requires at least a macro name")
		}
		m := &macroDef{name: args[0].(*wordExpr).word, body: body}
		for i, a := range args[1:] {
			r, ok := a.(*refNode)
			if !ok || r.runt || len(r.parts) > 0 {
				p.fail(argToks[i+1].pos, "macro parameter %d must be a plain reference such as $x", i+1)
			}
			m.params = append(m.params, r.root)
		}
		if p.macros != nil {
			p.macros[m.name] = m
		}
		p.macroNames[m.name] = true
		return &textNode{}
	case "define":
		if len(args) != 1 {
			p.fail(t.pos, "#define takes exactly one argument")
		}
		r, ok := args[0].(*refNode)
		if !ok || r.runt || len(r.parts) > 0 {
			p.fail(argToks[0].pos, "the argument of #define must be a variable")
		}
		return &defineNode{pos: pos, name: r.root, body: body}
	case "literal":
		return &textNode{bodyLit}
	}
	// #@name(...) body #end: a macro call with a body.
	return &macroCallNode{pos: pos, name: name[1:], args: args, argSrc: argSrc, literal: literal, body: body, isBlock: true}
}

func isArgStart(k tokKind) bool {
	switch k {
	case tIdentifier, tLCurly, tWord, tStringLiteral, tIntegerLiteral, tLBracket,
		tFloatLiteral, tLeftCurley, tTrue, tFalse:
		return true
	}
	return false
}

// directiveArgAhead is the LOOKAHEAD(2) of the argument loop in Directive().
func (p *parser) directiveArgAhead() bool {
	switch p.kind(0) {
	case tWhitespace:
		k := p.kind(1)
		return k == tComma || isArgStart(k)
	case tComma:
		k := p.kind(1)
		return k == tWhitespace || isArgStart(k)
	}
	return isArgStart(p.kind(0))
}

func (p *parser) directiveArg() expr {
	t := p.peek(0)
	switch t.kind {
	case tIdentifier, tLCurly:
		return p.reference()
	case tWord:
		p.next()
		return &wordExpr{word: t.image}
	case tStringLiteral:
		return p.stringLiteral()
	case tIntegerLiteral:
		return p.intLiteral()
	case tLBracket:
		if p.rangeAhead() {
			return p.integerRange()
		}
		return p.objectArray()
	case tFloatLiteral:
		return p.floatLiteral()
	case tLeftCurley:
		return p.mapLiteral()
	case tTrue:
		p.next()
		return &litExpr{Bool(true)}
	case tFalse:
		p.next()
		return &litExpr{Bool(false)}
	}
	p.unexpected(t, "an argument")
	return nil
}

// reference parses Reference() and precomputes how it renders.
//
// Its literal, what it prints unresolved, is its tokens' text (see
// parser.lit), with one rewrite that ASTReference.getRoot makes when
// Velocity initializes the node: the first token's image loses the
// backslashes before its "$" and whatever the lexer glued in front ("#$a",
// "$$a" become "$a"). Velocity initializes the references inside a
// reference, and the directives and blocks around it, before their own
// literal is taken, so "$u[\$a]", "#foo(\$a)" and "#literal()\$a#end"
// all print "$a" where the source has "\$a". The slash-bang form ("$\!a")
// is left as written.
func (p *parser) reference() *refNode {
	mark := p.beginLiteral()
	first := p.next()
	p.lit = p.lit[:mark] // recorded below, as getRoot leaves it
	r := &refNode{pos: first.pos + p.base}
	img := first.image

	if i := strings.Index(img, `\!`); i >= 0 {
		// "$\!a" is not a reference: it prints as "$!a".
		d := strings.IndexByte(img, '$')
		j := d
		for j < len(img) && img[j] != '\\' {
			j++
		}
		s, count := j, 0
		for j < len(img) && img[j] == '\\' {
			j++
			count++
		}
		r.runt = true
		r.root = img[:s] + img[s:s+count-1] + img[s+count:]
		r.literal = r.root
		p.record(&first)
		p.referenceRest(r, first)
		p.stopLiteral()
		return r
	}
	if strings.HasPrefix(img, `\`) {
		i := 0
		for i < len(img) && img[i] == '\\' {
			i++
		}
		r.escaped = i%2 != 0
		r.escPrefix = img[:i/2]
		img = img[i:]
	}
	if loc := strings.LastIndexByte(img, '$'); loc > 0 {
		r.morePrefix = img[:loc]
		img = img[loc:]
	}
	switch {
	case strings.HasPrefix(img, "$!"):
		r.quiet = true
		if strings.HasPrefix(img, "$!{") {
			r.root = p.peek(0).image
		} else {
			r.root = img[2:]
		}
	case img == "${":
		r.root = p.peek(0).image
	case strings.HasPrefix(img, "$"):
		r.root = img[1:]
	default:
		r.runt = true
		r.root = img
	}
	p.lit = append(p.lit, first.special...)
	p.lit = append(p.lit, img...)
	end := p.referenceRest(r, first)
	r.literal = p.endLiteral(mark, first.end-len(img), end)
	if !r.runt {
		r.vs = p.slots.varSlot(r.root)
		r.bare = !r.escaped && r.escPrefix == "" && r.morePrefix == ""
	}
	return r
}

// referenceRest parses what follows the first token of a reference and
// returns the offset just past it.
func (p *parser) referenceRest(r *refNode, first token) int {
	end := first.end
	formal := first.kind == tLCurly
	if formal {
		id := p.expect(tIdentifier, "a name after ${")
		end = id.end
	}
	end = p.indexes(r, end)
	for p.kind(0) == tDot && p.kind(1) == tIdentifier {
		p.next()
		id := p.next()
		end = id.end
		if p.kind(0) == tLParen && p.methodAhead() {
			p.next()
			part := refPart{kind: partMethod, name: id.image, pos: id.pos + p.base}
			if p.parameterStart(p.kind(0)) {
				part.args = append(part.args, p.parameter())
				for p.kind(0) == tComma {
					p.next()
					part.args = append(part.args, p.parameter())
				}
			}
			end = p.expect(tRefMod2RParen, `")" closing the method call`).end
			r.parts = append(r.parts, part)
		} else {
			r.parts = append(r.parts, refPart{kind: partProperty, name: id.image, pos: id.pos + p.base, site: p.slots.site(), scopeProp: scopePropOf(id.image)})
		}
		end = p.indexes(r, end)
	}
	if formal {
		end = p.expect(tRCurly, `"}" closing ${`).end
	}
	return end
}

// methodAhead is the third token of LOOKAHEAD(3) Method(): an argument or
// the closing parenthesis must follow "(".
func (p *parser) methodAhead() bool {
	k := p.kind(1)
	return k == tRefMod2RParen || p.parameterStart(k)
}

func (p *parser) indexes(r *refNode, end int) int {
	for p.kind(0) == tIndexLBracket {
		lb := p.next()
		p.enter(lb.pos)
		if p.kind(0) == tWhitespace {
			p.next()
		}
		var a expr
		switch t := p.peek(0); t.kind {
		case tStringLiteral:
			a = p.stringLiteral()
		case tIntegerLiteral:
			a = p.intLiteral()
		case tTrue:
			p.next()
			a = &litExpr{Bool(true)}
		case tFalse:
			p.next()
			a = &litExpr{Bool(false)}
		case tIdentifier, tLCurly:
			a = p.reference()
		default:
			p.unexpected(t, "an index")
		}
		if p.kind(0) == tWhitespace {
			p.next()
		}
		end = p.expect(tIndexRBracket, `"]"`).end
		p.leave()
		r.parts = append(r.parts, refPart{kind: partIndex, args: []expr{a}, pos: lb.pos + p.base})
	}
	return end
}

func (p *parser) parameterStart(k tokKind) bool {
	switch k {
	case tWhitespace, tStringLiteral, tIntegerLiteral, tLBracket, tLeftCurley,
		tTrue, tFalse, tIdentifier, tLCurly, tFloatLiteral:
		return true
	}
	return false
}

// parameter parses Parameter(): method arguments and collection elements,
// which in Velocity 1.7 are values, never arithmetic.
func (p *parser) parameter() expr {
	if p.kind(0) == tWhitespace {
		p.next()
	}
	t := p.peek(0)
	p.enter(t.pos)
	defer p.leave()
	var e expr
	switch t.kind {
	case tStringLiteral:
		e = p.stringLiteral()
	case tIntegerLiteral:
		e = p.intLiteral()
	case tLBracket:
		if p.rangeAhead() {
			e = p.integerRange()
		} else {
			e = p.objectArray()
		}
	case tLeftCurley:
		e = p.mapLiteral()
	case tTrue:
		p.next()
		e = &litExpr{Bool(true)}
	case tFalse:
		p.next()
		e = &litExpr{Bool(false)}
	case tIdentifier, tLCurly:
		e = p.reference()
	case tFloatLiteral:
		e = p.floatLiteral()
	default:
		p.unexpected(t, "a value")
	}
	if p.kind(0) == tWhitespace {
		p.next()
	}
	return e
}

// rangeAhead is LOOKAHEAD(<LBRACKET> [<WHITESPACE>] (Reference() |
// IntegerLiteral()) [<WHITESPACE>] <DOUBLEDOT>).
func (p *parser) rangeAhead() bool {
	m := p.mark()
	defer func() { p.idx = m }()
	i := 1
	if p.kind(i) == tWhitespace {
		i++
	}
	switch p.kind(i) {
	case tIntegerLiteral:
		i++
	case tIdentifier, tLCurly:
		// Scan a reference without building it.
		var ok bool
		i, ok = p.scanReference(i)
		if !ok {
			return false
		}
	default:
		return false
	}
	if p.kind(i) == tWhitespace {
		i++
	}
	return p.kind(i) == tDoubleDot
}

// scanReference skips the tokens of a reference starting at lookahead
// index i, for syntactic lookahead.
func (p *parser) scanReference(i int) (int, bool) {
	formal := p.kind(i) == tLCurly
	i++
	if formal {
		if p.kind(i) != tIdentifier {
			return i, false
		}
		i++
	}
	var ok bool
	if i, ok = p.scanIndexes(i); !ok {
		return i, false
	}
	for p.kind(i) == tDot && p.kind(i+1) == tIdentifier {
		i += 2
		if p.kind(i) == tLParen && (p.kind(i+1) == tRefMod2RParen || p.parameterStart(p.kind(i+1))) {
			depth := 0
			for {
				k := p.kind(i)
				if k == tEOF {
					return i, false
				}
				if k == tLParen {
					depth++
				}
				if k == tRefMod2RParen {
					depth--
					if depth == 0 {
						i++
						break
					}
				}
				i++
			}
		}
		if i, ok = p.scanIndexes(i); !ok {
			return i, false
		}
	}
	if formal {
		if p.kind(i) != tRCurly {
			return i, false
		}
		i++
	}
	return i, true
}

func (p *parser) scanIndexes(i int) (int, bool) {
	for p.kind(i) == tIndexLBracket {
		for p.kind(i) != tIndexRBracket {
			if p.kind(i) == tEOF {
				return i, false
			}
			i++
		}
		i++
	}
	return i, true
}

func (p *parser) integerRange() expr {
	lb := p.next()
	end := func() expr {
		if p.kind(0) == tWhitespace {
			p.next()
		}
		var e expr
		switch t := p.peek(0); t.kind {
		case tIntegerLiteral:
			e = p.intLiteral()
		case tIdentifier, tLCurly:
			e = p.reference()
		default:
			p.unexpected(t, "an integer or reference in the range")
		}
		if p.kind(0) == tWhitespace {
			p.next()
		}
		return e
	}
	from := end()
	p.expect(tDoubleDot, `".."`)
	to := end()
	p.expect(tRBracket, `"]" closing the range`)
	return &rangeExpr{pos: lb.pos + p.base, from: from, to: to}
}

func (p *parser) objectArray() expr {
	p.next()
	l := &listExpr{}
	if p.parameterStart(p.kind(0)) {
		l.items = append(l.items, p.parameter())
		for p.kind(0) == tComma {
			p.next()
			l.items = append(l.items, p.parameter())
		}
	}
	p.expect(tRBracket, `"]" closing the list`)
	return l
}

func (p *parser) mapLiteral() expr {
	p.next()
	m := &mapExpr{}
	k0 := p.kind(0)
	if (k0 != tWhitespace && p.parameterStart(k0)) || (k0 == tWhitespace && p.parameterStart(p.kind(1)) && p.kind(1) != tWhitespace) {
		for {
			m.keys = append(m.keys, p.parameter())
			p.expect(tColon, `":" in the map`)
			m.vals = append(m.vals, p.parameter())
			if p.kind(0) != tComma {
				break
			}
			p.next()
		}
	} else if k0 == tWhitespace {
		p.next()
	}
	if k := p.kind(0); k == tRightCurley || k == tRCurly {
		p.next()
	} else {
		p.unexpected(p.peek(0), `"}" closing the map`)
	}
	return m
}

func (p *parser) intLiteral() expr {
	t := p.next()
	if n, err := strconv.ParseInt(t.image, 10, 32); err == nil {
		return &litExpr{Int(int32(n))}
	}
	if n, err := strconv.ParseInt(t.image, 10, 64); err == nil {
		return &litExpr{Long(n)}
	}
	f, _ := strconv.ParseFloat(t.image, 64)
	return &litExpr{bigInt(t.image, f)}
}

func (p *parser) floatLiteral() expr {
	t := p.next()
	f, err := strconv.ParseFloat(t.image, 64)
	if err != nil && !strings.Contains(err.Error(), "range") {
		p.fail(t.pos, "invalid number %s", t.image)
	}
	return &litExpr{Double(f)}
}

// stringLiteral parses a string. Double-quoted strings containing "$" or
// "#" are templates rendered at each evaluation; others are constants.
// This follows Velocity 1.7's ASTStringLiteral: \uXXXX escapes are decoded
// in double-quoted strings, doubled quotes stand for one, and an
// interpolated string is parsed with a space appended that rendering
// removes again, unless it contains "##".
func (p *parser) stringLiteral() expr {
	t := p.next()
	img := t.image
	q := img[0]
	body := img[1 : len(img)-1]
	if q == '"' {
		body = unescapeUnicode(body)
	}
	if strings.IndexByte(body, q) >= 0 {
		body = strings.ReplaceAll(body, string(q)+string(q), string(q))
	}
	if q == '"' && strings.ContainsAny(body, "$#") {
		p.enter(t.pos)
		defer p.leave()
		trim := !strings.Contains(body, "##")
		src := body
		if trim {
			src += " "
		}
		start := p.base + t.pos + 1
		nodes, err := parseTemplate(p.name, p.full, start, src, p.macros, p.slots)
		if err != nil {
			if end := start + len(body); err.Offset > end {
				// Point at the closing quote, not past the space that
				// was appended.
				err = newError(p.name, p.full, end, "%s", err.Msg)
			}
			panic(parseError{err})
		}
		if len(nodes) == 0 {
			return &litExpr{String("")}
		}
		if len(nodes) == 1 {
			if tn, ok := nodes[0].(*textNode); ok {
				text := tn.text
				if trim {
					text = dropLastRune(text)
				}
				return &litExpr{String(text)}
			}
		}
		return &strExpr{pos: t.pos + p.base, body: nodes, trimLast: trim}
	}
	return &litExpr{String(body)}
}

// dropLastRune removes the last character of s, if any.
func dropLastRune(s string) string {
	if s == "" {
		return s
	}
	_, size := utf8.DecodeLastRuneInString(s)
	return s[:len(s)-size]
}

// unescapeUnicode decodes the \uXXXX escapes of a double-quoted string,
// as Velocity's ASTStringLiteral.unescape does (its lexer has checked
// their form).
func unescapeUnicode(s string) string {
	i := strings.Index(s, `\u`)
	if i < 0 {
		return s
	}
	var b strings.Builder
	for i >= 0 && i+6 <= len(s) {
		b.WriteString(s[:i])
		n, err := strconv.ParseUint(s[i+2:i+6], 16, 16)
		if err != nil {
			b.WriteString(s[i : i+2])
			s = s[i+2:]
		} else {
			b.WriteRune(utf16Rune(rune(n)))
			s = s[i+6:]
		}
		i = strings.Index(s, `\u`)
	}
	b.WriteString(s)
	return b.String()
}

// utf16Rune returns r, or the replacement character for a lone surrogate,
// which a Go string cannot hold.
func utf16Rune(r rune) rune {
	if r >= 0xD800 && r <= 0xDFFF {
		return utf8.RuneError
	}
	return r
}

// expression parses Expression(), Velocity's operator grammar.
func (p *parser) expression() expr {
	t := p.peek(0)
	p.enter(t.pos)
	defer p.leave()
	return p.orExpr()
}

func (p *parser) orExpr() expr {
	l := p.andExpr()
	for p.kind(0) == tOr {
		t := p.next()
		l = &binExpr{pos: t.pos + p.base, op: opOr, l: l, r: p.andExpr()}
	}
	return l
}

func (p *parser) andExpr() expr {
	l := p.eqExpr()
	for p.kind(0) == tAnd {
		t := p.next()
		l = &binExpr{pos: t.pos + p.base, op: opAnd, l: l, r: p.eqExpr()}
	}
	return l
}

func (p *parser) eqExpr() expr {
	l := p.relExpr()
	for {
		var op binOp
		switch p.kind(0) {
		case tEQ:
			op = opEQ
		case tNE:
			op = opNE
		default:
			return l
		}
		t := p.next()
		l = &binExpr{pos: t.pos + p.base, op: op, l: l, r: p.relExpr()}
	}
}

func (p *parser) relExpr() expr {
	l := p.addExpr()
	for {
		var op binOp
		switch p.kind(0) {
		case tLT:
			op = opLT
		case tGT:
			op = opGT
		case tLE:
			op = opLE
		case tGE:
			op = opGE
		default:
			return l
		}
		t := p.next()
		l = &binExpr{pos: t.pos + p.base, op: op, l: l, r: p.addExpr()}
	}
}

func (p *parser) addExpr() expr {
	l := p.mulExpr()
	for {
		var op binOp
		switch p.kind(0) {
		case tPlus:
			op = opAdd
		case tMinus:
			op = opSub
		default:
			return l
		}
		t := p.next()
		l = &binExpr{pos: t.pos + p.base, op: op, l: l, r: p.mulExpr()}
	}
}

func (p *parser) mulExpr() expr {
	l := p.unaryExpr()
	for {
		var op binOp
		switch p.kind(0) {
		case tMultiply:
			op = opMul
		case tDivide:
			op = opDiv
		case tModulus:
			op = opMod
		default:
			return l
		}
		t := p.next()
		l = &binExpr{pos: t.pos + p.base, op: op, l: l, r: p.unaryExpr()}
	}
}

func (p *parser) unaryExpr() expr {
	if p.kind(0) == tNot || (p.kind(0) == tWhitespace && p.kind(1) == tNot) {
		if p.kind(0) == tWhitespace {
			p.next()
		}
		t := p.next()
		p.enter(t.pos)
		defer p.leave()
		return &notExpr{pos: t.pos + p.base, x: p.unaryExpr()}
	}
	return p.primary()
}

func (p *parser) primary() expr {
	if p.kind(0) == tWhitespace {
		p.next()
	}
	var e expr
	switch t := p.peek(0); t.kind {
	case tStringLiteral:
		e = p.stringLiteral()
	case tIdentifier:
		e = p.reference()
	case tLCurly:
		if p.kind(1) != tIdentifier {
			p.unexpected(t, "a value")
		}
		e = p.reference()
	case tIntegerLiteral:
		e = p.intLiteral()
	case tLBracket:
		if p.rangeAhead() {
			e = p.integerRange()
		} else {
			e = p.objectArray()
		}
	case tFloatLiteral:
		e = p.floatLiteral()
	case tLeftCurley:
		e = p.mapLiteral()
	case tTrue:
		p.next()
		e = &litExpr{Bool(true)}
	case tFalse:
		p.next()
		e = &litExpr{Bool(false)}
	case tLParen:
		p.next()
		e = p.expression()
		p.expect(tRParen, `")"`)
	default:
		p.unexpected(t, "a value")
	}
	if p.kind(0) == tWhitespace {
		p.next()
	}
	return e
}
