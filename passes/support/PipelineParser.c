/* Parsing pipeline text that mixes tl and upstream passes.
 *
 * MLIR's textual pipeline parser knows only registered passes, and external
 * passes cannot be registered by name. This parser walks the element syntax
 * (name{options}(nested elements), comma-separated), creates tl passes
 * itself, nests pass managers for anchors whose body holds a tl pass, and
 * hands every other element, verbatim, to mlirOpPassManagerAddPipeline. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "PassSupport.h"

typedef struct Parser {
  const char *begin, *end; /* the whole text, for offsets in messages */
  MlirStringCallback err;
  void *ud;
  bool foundTl; /* dry runs: was a tl pass named? */
} Parser;

static bool isSpaceChar(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static const char *skipSpaces(const char *p, const char *end) {
  while (p < end && isSpaceChar(*p))
    ++p;
  return p;
}

static void syntaxError(Parser *ps, const char *at, const char *what) {
  tlReport(ps->err, ps->ud,
           "invalid pass pipeline at offset %ld: %s\n  %.*s\n  %*s^",
           (long)(at - ps->begin), what, (int)(ps->end - ps->begin),
           ps->begin, (int)(at - ps->begin), "");
}

static char closerOf(char open) {
  return open == '{' ? '}' : open == '(' ? ')' : ']';
}

/* Returns the position just past the bracket matching *p ('{' or '('), or
   NULL after an error: unbalanced, or a closer of the wrong kind (a '}'
   must not close a '(', or "m(tl-verify}" would run tl-verify). Quotes
   are skipped; nesting deeper than the stack is an error too. */
static const char *matchBracket(Parser *ps, const char *p, const char *end) {
  char open[64];
  const char *openAt[64];
  int depth = 0;
  char quote = 0;
  const char *start = p;
  for (; p < end; ++p) {
    char c = *p;
    if (quote) {
      if (c == quote)
        quote = 0;
      continue;
    }
    if (c == '"' || c == '\'')
      quote = c;
    else if (c == '{' || c == '(' || c == '[') {
      if (depth == (int)sizeof open) {
        syntaxError(ps, p, "brackets nested too deeply");
        return NULL;
      }
      open[depth] = c;
      openAt[depth++] = p;
    } else if (c == '}' || c == ')' || c == ']') {
      if (c != closerOf(open[depth - 1])) {
        char what[96];
        snprintf(what, sizeof what, "'%c' does not close the '%c' at offset "
                 "%ld", c, open[depth - 1], (long)(openAt[depth - 1] - ps->begin));
        syntaxError(ps, p, what);
        return NULL;
      }
      if (--depth == 0)
        return p + 1;
    }
  }
  char what[32];
  snprintf(what, sizeof what, "unbalanced '%c'", *start);
  syntaxError(ps, start, what);
  return NULL;
}

static bool forwardToUpstream(Parser *ps, MlirOpPassManager pm,
                              const char *b, const char *e) {
  MlirLogicalResult r = mlirOpPassManagerAddPipeline(
      pm, mlirStringRefCreate(b, (size_t)(e - b)), ps->err, ps->ud);
  return mlirLogicalResultIsSuccess(r);
}

static bool isAnyAnchor(MlirStringRef name) {
  return name.length == 3 && !memcmp(name.data, "any", 3);
}

static void anyError(Parser *ps, const char *at) {
  syntaxError(ps, at,
              "tl passes cannot be nested under 'any': name the operation "
              "(e.g. gpu.module)");
}

/* Parses elements in [p, end). With pm null, only checks the syntax and
   records whether a tl pass is named anywhere (ps->foundTl). */
static bool parseElements(Parser *ps, MlirOpPassManager *pm, const char *p,
                          const char *end) {
  p = skipSpaces(p, end);
  if (p == end)
    return true; /* an empty list is valid: "builtin.module()" */
  for (;;) {
    const char *nameBegin = p;
    while (p < end && !isSpaceChar(*p) && *p != '{' && *p != '(' &&
           *p != ',' && *p != ')' && *p != '}')
      ++p;
    const char *nameEnd = p;
    if (nameBegin == nameEnd) {
      syntaxError(ps, p, "expected a pass or an operation name");
      return false;
    }
    p = skipSpaces(p, end);
    const char *optBegin = NULL, *optEnd = NULL;
    if (p < end && *p == '{') {
      const char *close = matchBracket(ps, p, end);
      if (!close)
        return false;
      optBegin = p + 1;
      optEnd = close - 1;
      p = skipSpaces(close, end);
    }
    const char *bodyBegin = NULL, *bodyEnd = NULL;
    if (p < end && *p == '(') {
      const char *close = matchBracket(ps, p, end);
      if (!close)
        return false;
      bodyBegin = p + 1;
      bodyEnd = close - 1;
      p = close;
    }
    const char *elemEnd = p;
    MlirStringRef name =
        mlirStringRefCreate(nameBegin, (size_t)(nameEnd - nameBegin));
    bool isTl = tlLookupPass(name) != NULL;
    if (isTl && bodyBegin) {
      syntaxError(ps, nameBegin, "a tl pass cannot have a nested pipeline");
      return false;
    }
    if (bodyBegin && optBegin) {
      syntaxError(ps, optBegin - 1, "an operation anchor takes no options");
      return false;
    }
    if (!pm) {
      ps->foundTl |= isTl;
      if (bodyBegin) {
        /* Whether this body names a tl pass decides the 'any' error, which
           the dry run reports too so that it adds nothing. */
        bool outer = ps->foundTl;
        ps->foundTl = false;
        if (!parseElements(ps, NULL, bodyBegin, bodyEnd))
          return false;
        if (ps->foundTl && isAnyAnchor(name)) {
          anyError(ps, nameBegin);
          return false;
        }
        ps->foundTl |= outer;
      }
    } else if (isTl) {
      MlirStringRef opts =
          optBegin ? mlirStringRefCreate(optBegin, (size_t)(optEnd - optBegin))
                   : mlirStringRefCreate("", 0);
      if (mlirLogicalResultIsFailure(
              tlOpPassManagerAddPass(*pm, name, opts, ps->err, ps->ud)))
        return false;
    } else if (bodyBegin) {
      Parser dry = *ps;
      dry.foundTl = false;
      if (!parseElements(&dry, NULL, bodyBegin, bodyEnd))
        return false;
      if (!dry.foundTl) {
        if (!forwardToUpstream(ps, *pm, nameBegin, elemEnd))
          return false;
      } else {
        if (isAnyAnchor(name)) {
          anyError(ps, nameBegin);
          return false;
        }
        MlirOpPassManager nested = mlirOpPassManagerGetNestedUnder(*pm, name);
        if (!parseElements(ps, &nested, bodyBegin, bodyEnd))
          return false;
      }
    } else if (!forwardToUpstream(ps, *pm, nameBegin, elemEnd)) {
      return false;
    }
    p = skipSpaces(p, end);
    if (p == end)
      return true;
    if (*p != ',') {
      syntaxError(ps, p, "expected ',' between pipeline elements");
      return false;
    }
    p = skipSpaces(p + 1, end);
  }
}

/* Adds the elements in [b, e) to pm. Offsets in messages are relative to
   ps->begin, the text the caller gave. */
static MlirLogicalResult addElements(Parser *ps, MlirOpPassManager pm,
                                     const char *b, const char *e) {
  /* Check the whole text first so that a syntax error adds nothing. */
  if (!parseElements(ps, NULL, b, e) || !parseElements(ps, &pm, b, e))
    return mlirLogicalResultFailure();
  return mlirLogicalResultSuccess();
}

MlirLogicalResult tlOpPassManagerAddPipeline(MlirOpPassManager pm,
                                             MlirStringRef text,
                                             MlirStringCallback err,
                                             void *ud) {
  if (!pm.ptr || (!text.data && text.length)) {
    tlReport(err, ud, "tlOpPassManagerAddPipeline: null pass manager or "
                      "text");
    return mlirLogicalResultFailure();
  }
  Parser ps = {text.data, text.data + text.length, err, ud, false};
  return addElements(&ps, pm, ps.begin, ps.end);
}

typedef struct Buffer {
  char data[512];
  size_t len;
} Buffer;

static void appendToBuffer(MlirStringRef s, void *ud) {
  Buffer *b = ud;
  size_t n = s.length;
  if (n > sizeof b->data - 1 - b->len)
    n = sizeof b->data - 1 - b->len;
  memcpy(b->data + b->len, s.data, n);
  b->len += n;
  b->data[b->len] = 0;
}

MlirLogicalResult tlParsePassPipeline(MlirOpPassManager pm,
                                      MlirStringRef text,
                                      MlirStringCallback err, void *ud) {
  if (!pm.ptr || (!text.data && text.length)) {
    tlReport(err, ud, "tlParsePassPipeline: null pass manager or text");
    return mlirLogicalResultFailure();
  }
  Parser ps = {text.data, text.data + text.length, err, ud, false};
  const char *p = skipSpaces(ps.begin, ps.end);
  const char *nameBegin = p;
  while (p < ps.end && !isSpaceChar(*p) && *p != '(')
    ++p;
  const char *nameEnd = p;
  p = skipSpaces(p, ps.end);
  if (nameBegin == nameEnd || p == ps.end || *p != '(') {
    syntaxError(&ps, p,
                "expected 'anchor(...)', e.g. 'builtin.module(tl-verify)'");
    return mlirLogicalResultFailure();
  }
  const char *close = matchBracket(&ps, p, ps.end);
  if (!close)
    return mlirLogicalResultFailure();
  if (skipSpaces(close, ps.end) != ps.end) {
    syntaxError(&ps, close, "unexpected text after the pipeline");
    return mlirLogicalResultFailure();
  }
  /* The C API has no getter for a pass manager's anchor: its printed form
     starts with it ("builtin.module(...)"). */
  Buffer printed = {{0}, 0};
  mlirPrintPassPipeline(pm, appendToBuffer, &printed);
  char *paren = strchr(printed.data, '(');
  size_t anchorLen = paren ? (size_t)(paren - printed.data) : printed.len;
  size_t nameLen = (size_t)(nameEnd - nameBegin);
  if (anchorLen != nameLen || memcmp(printed.data, nameBegin, nameLen)) {
    tlReport(err, ud,
             "pipeline anchored on '%.*s' cannot run on the pass manager's "
             "'%.*s'",
             (int)nameLen, nameBegin, (int)anchorLen, printed.data);
    return mlirLogicalResultFailure();
  }
  return addElements(&ps, pm, p + 1, close - 1);
}
