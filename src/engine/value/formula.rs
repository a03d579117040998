//! The learner's own value formula: a small arithmetic language (numbers, named variables,
//! the four operators and parentheses) parsed into a tree, never evaluated as code. Every error
//! carries the character position it refers to, so the UI can point at it while the learner
//! types.
//!
//! A hand-written parser rather than an expression crate: the crates looked at either report
//! no error positions (needed for live validation) or accept far more than arithmetic.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

/// A parse or evaluation error; `pos` counts characters from 0.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExprError {
    Empty,
    UnexpectedChar {
        pos: usize,
        ch: char,
    },
    UnexpectedEnd {
        pos: usize,
    },
    Expected {
        pos: usize,
        what: &'static str,
    },
    UnclosedParen {
        pos: usize,
    },
    UnknownVariable {
        pos: usize,
        name: String,
    },
    DivisionByZero {
        pos: usize,
    },
    BadNumber {
        pos: usize,
    },
    /// A comma that does not separate groups of three digits (`1,5`: a comma is not a
    /// decimal point); `pos` is the comma.
    CommaInNumber {
        pos: usize,
    },
    /// More than `limit` characters; `pos` is the first character past the limit.
    TooLong {
        pos: usize,
        limit: usize,
    },
    /// Parentheses or signs nested more than `limit` deep; `pos` is the one too many.
    TooDeep {
        pos: usize,
        limit: usize,
    },
}

/// The longest formula accepted, in characters.
pub const MAX_LENGTH: usize = 1000;
/// The deepest nesting of parentheses and signs accepted.
pub const MAX_DEPTH: usize = 64;

impl ExprError {
    /// The character position the error points at, if any.
    pub fn pos(&self) -> Option<usize> {
        use ExprError::*;
        match self {
            Empty => None,
            UnexpectedChar { pos, .. }
            | UnexpectedEnd { pos }
            | Expected { pos, .. }
            | UnclosedParen { pos }
            | UnknownVariable { pos, .. }
            | DivisionByZero { pos }
            | BadNumber { pos }
            | CommaInNumber { pos }
            | TooLong { pos, .. }
            | TooDeep { pos, .. } => Some(*pos),
        }
    }
}

/// A binary operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Add,
    Sub,
    Mul,
    Div,
}

/// A parsed formula.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Num(f64),
    Var {
        name: String,
        pos: usize,
    },
    Neg(Box<Expr>),
    Bin {
        op: Op,
        pos: usize,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
}

/// Is `name` usable as a variable (letters of any script, digits, `_`; not starting with a digit)?
pub fn is_valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_')
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(f64),
    Ident(String),
    Op(Op),
    Open,
    Close,
}

/// The first comma of a number's text that does not separate groups of three digits in its
/// whole part (`1,5`, `1,5000`, `1.5,000`, `1,`), as an offset into `text`.
fn misplaced_comma(text: &[char]) -> Option<usize> {
    let mut digits_before = 0;
    let mut seen_point = false;
    for (i, &c) in text.iter().enumerate() {
        match c {
            '.' => seen_point = true,
            ',' => {
                let group = text[i + 1..]
                    .iter()
                    .take_while(|c| c.is_ascii_digit())
                    .count();
                if seen_point || digits_before == 0 || group != 3 {
                    return Some(i);
                }
                digits_before = 0;
            }
            c if c.is_ascii_digit() => digits_before += 1,
            _ => {}
        }
    }
    None
}

fn lex(src: &str) -> Result<Vec<(usize, Tok)>, ExprError> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        let tok = match c {
            c if c.is_whitespace() => {
                i += 1;
                continue;
            }
            '+' | '＋' => Tok::Op(Op::Add),
            '-' | '−' | '－' => Tok::Op(Op::Sub),
            '*' | '×' | '＊' => Tok::Op(Op::Mul),
            '/' | '÷' | '／' => Tok::Op(Op::Div),
            '(' | '（' => Tok::Open,
            ')' | '）' => Tok::Close,
            c if c.is_ascii_digit() || c == '.' => {
                while i < chars.len()
                    && (chars[i].is_ascii_digit()
                        || chars[i] == '.'
                        || chars[i] == '_'
                        || chars[i] == ',')
                {
                    i += 1;
                }
                if i < chars.len() && (chars[i] == 'e' || chars[i] == 'E') {
                    let mut j = i + 1;
                    if j < chars.len() && (chars[j] == '+' || chars[j] == '-') {
                        j += 1;
                    }
                    if j < chars.len() && chars[j].is_ascii_digit() {
                        i = j;
                        while i < chars.len() && chars[i].is_ascii_digit() {
                            i += 1;
                        }
                    }
                }
                // Thousands separators are allowed for readability (10,000,000 or 10_000_000),
                // but a comma is never a decimal point: `1,5` is refused, not read as 15.
                if let Some(pos) = misplaced_comma(&chars[start..i]) {
                    return Err(ExprError::CommaInNumber { pos: start + pos });
                }
                let text: String = chars[start..i]
                    .iter()
                    .filter(|c| **c != '_' && **c != ',')
                    .collect();
                let v: f64 = text
                    .parse()
                    .map_err(|_| ExprError::BadNumber { pos: start })?;
                out.push((start, Tok::Num(v)));
                continue;
            }
            c if c.is_alphabetic() || c == '_' => {
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                out.push((start, Tok::Ident(chars[start..i].iter().collect())));
                continue;
            }
            ch => return Err(ExprError::UnexpectedChar { pos: i, ch }),
        };
        out.push((start, tok));
        i += 1;
    }
    Ok(out)
}

struct Parser {
    toks: Vec<(usize, Tok)>,
    at: usize,
    end: usize,
    /// Parentheses and signs open around the current position.
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<&(usize, Tok)> {
        self.toks.get(self.at)
    }

    fn pos(&self) -> usize {
        self.peek().map(|t| t.0).unwrap_or(self.end)
    }

    fn expr(&mut self) -> Result<Expr, ExprError> {
        let mut lhs = self.term()?;
        while let Some(&(pos, Tok::Op(op @ (Op::Add | Op::Sub)))) = self.peek() {
            self.at += 1;
            let rhs = self.term()?;
            lhs = Expr::Bin {
                op,
                pos,
                lhs: Box::new(lhs),
                rhs: Box::new(rhs),
            };
        }
        Ok(lhs)
    }

    fn term(&mut self) -> Result<Expr, ExprError> {
        let mut lhs = self.unary()?;
        while let Some(&(pos, Tok::Op(op @ (Op::Mul | Op::Div)))) = self.peek() {
            self.at += 1;
            let rhs = self.unary()?;
            lhs = Expr::Bin {
                op,
                pos,
                lhs: Box::new(lhs),
                rhs: Box::new(rhs),
            };
        }
        Ok(lhs)
    }

    /// One level deeper at `pos`, or the nesting error.
    fn enter(&mut self, pos: usize) -> Result<(), ExprError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(ExprError::TooDeep {
                pos,
                limit: MAX_DEPTH,
            });
        }
        Ok(())
    }

    /// Signs in front of a value, read in a loop (not by recursion); each counts as a level.
    fn unary(&mut self) -> Result<Expr, ExprError> {
        let outer = self.depth;
        let mut negate = false;
        while let Some(&(pos, Tok::Op(op @ (Op::Add | Op::Sub)))) = self.peek() {
            self.enter(pos)?;
            self.at += 1;
            negate ^= op == Op::Sub;
        }
        let e = self.primary()?;
        self.depth = outer;
        Ok(if negate { Expr::Neg(Box::new(e)) } else { e })
    }

    fn primary(&mut self) -> Result<Expr, ExprError> {
        let Some((pos, tok)) = self.peek().cloned() else {
            return Err(ExprError::UnexpectedEnd { pos: self.end });
        };
        self.at += 1;
        match tok {
            Tok::Num(v) => Ok(Expr::Num(v)),
            Tok::Ident(name) => Ok(Expr::Var { name, pos }),
            Tok::Open => {
                self.enter(pos)?;
                let inner = self.expr()?;
                self.depth -= 1;
                match self.peek() {
                    Some((_, Tok::Close)) => {
                        self.at += 1;
                        Ok(inner)
                    }
                    Some(&(p, _)) => Err(ExprError::Expected { pos: p, what: ")" }),
                    None => Err(ExprError::UnclosedParen { pos }),
                }
            }
            Tok::Close | Tok::Op(_) => Err(ExprError::Expected { pos, what: "value" }),
        }
    }
}

/// Parse a formula.
pub fn parse(src: &str) -> Result<Expr, ExprError> {
    if src.chars().nth(MAX_LENGTH).is_some() {
        return Err(ExprError::TooLong {
            pos: MAX_LENGTH,
            limit: MAX_LENGTH,
        });
    }
    let toks = lex(src)?;
    if toks.is_empty() {
        return Err(ExprError::Empty);
    }
    let mut p = Parser {
        toks,
        at: 0,
        end: src.chars().count(),
        depth: 0,
    };
    let e = p.expr()?;
    if p.at < p.toks.len() {
        let pos = p.pos();
        return Err(match p.toks[p.at].1 {
            Tok::Close => ExprError::UnexpectedChar { pos, ch: ')' },
            _ => ExprError::Expected {
                pos,
                what: "operator",
            },
        });
    }
    Ok(e)
}

impl Expr {
    /// Evaluate with these variable values. Walks the tree with its own stack, so a deep
    /// tree cannot overflow the thread's; the first error in reading order wins.
    pub fn eval(&self, vars: &HashMap<String, f64>) -> Result<f64, ExprError> {
        enum Step<'a> {
            Visit(&'a Expr),
            Apply(&'a Expr),
        }
        let mut steps = vec![Step::Visit(self)];
        let mut values: Vec<f64> = Vec::new();
        while let Some(step) = steps.pop() {
            match step {
                Step::Visit(e) => match e {
                    Expr::Num(v) => values.push(*v),
                    Expr::Var { name, pos } => {
                        values.push(*vars.get(name).ok_or_else(|| ExprError::UnknownVariable {
                            pos: *pos,
                            name: name.clone(),
                        })?)
                    }
                    Expr::Neg(inner) => {
                        steps.push(Step::Apply(e));
                        steps.push(Step::Visit(inner));
                    }
                    Expr::Bin { lhs, rhs, .. } => {
                        steps.push(Step::Apply(e));
                        steps.push(Step::Visit(rhs));
                        steps.push(Step::Visit(lhs));
                    }
                },
                Step::Apply(e) => {
                    let b = values.pop().unwrap_or(f64::NAN);
                    let v = match e {
                        Expr::Neg(_) => -b,
                        Expr::Bin { op, pos, .. } => {
                            let a = values.pop().unwrap_or(f64::NAN);
                            match op {
                                Op::Add => a + b,
                                Op::Sub => a - b,
                                Op::Mul => a * b,
                                Op::Div if b == 0.0 => {
                                    return Err(ExprError::DivisionByZero { pos: *pos })
                                }
                                Op::Div => a / b,
                            }
                        }
                        Expr::Num(_) | Expr::Var { .. } => b,
                    };
                    values.push(v);
                }
            }
        }
        Ok(values.pop().unwrap_or(f64::NAN))
    }

    /// Names of the variables used, in order of first use.
    pub fn variables(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut stack = vec![self];
        while let Some(e) = stack.pop() {
            match e {
                Expr::Num(_) => {}
                Expr::Var { name, .. } => {
                    if !out.contains(name) {
                        out.push(name.clone())
                    }
                }
                Expr::Neg(inner) => stack.push(inner),
                Expr::Bin { lhs, rhs, .. } => {
                    stack.push(rhs);
                    stack.push(lhs);
                }
            }
        }
        out
    }
}

/// Dropping a tree node by node from a list, not by recursion: a deep tree would otherwise
/// overflow the stack when it is freed.
impl Drop for Expr {
    fn drop(&mut self) {
        let mut pending: Vec<Expr> = Vec::new();
        let take = |e: &mut Expr, pending: &mut Vec<Expr>| match e {
            Expr::Neg(inner) => pending.push(std::mem::replace(&mut **inner, Expr::Num(0.0))),
            Expr::Bin { lhs, rhs, .. } => {
                pending.push(std::mem::replace(&mut **lhs, Expr::Num(0.0)));
                pending.push(std::mem::replace(&mut **rhs, Expr::Num(0.0)));
            }
            Expr::Num(_) | Expr::Var { .. } => {}
        };
        take(self, &mut pending);
        while let Some(mut e) = pending.pop() {
            take(&mut e, &mut pending);
        }
    }
}

/// Parse and evaluate in one step.
pub fn evaluate(src: &str, vars: &HashMap<String, f64>) -> Result<f64, ExprError> {
    parse(src)?.eval(vars)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, f64)]) -> HashMap<String, f64> {
        pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    #[test]
    fn precedence_and_parentheses() {
        let v = HashMap::new();
        assert_eq!(evaluate("1 + 2 * 3", &v), Ok(7.0));
        assert_eq!(evaluate("(1 + 2) * 3", &v), Ok(9.0));
        assert_eq!(evaluate("10 - 4 - 3", &v), Ok(3.0));
        assert_eq!(evaluate("8 / 4 / 2", &v), Ok(1.0));
        assert_eq!(evaluate("-2 * -3", &v), Ok(6.0));
        assert_eq!(evaluate("2 × 3 ÷ 4", &v), Ok(1.5));
        assert_eq!(evaluate("1e3 + 10,000 + 1_000", &v), Ok(12_000.0));
    }

    #[test]
    fn workshop_formula_with_named_variables() {
        let v = vars(&[
            ("before", 20.0),
            ("after", 2.0),
            ("hours", 7.5),
            ("時給", 1200.0),
        ]);
        assert_eq!(
            evaluate("(before − after) × hours × 時給", &v),
            Ok(162_000.0)
        );
        let e = parse("(before - after) * hours").unwrap();
        assert_eq!(e.variables(), ["before", "after", "hours"]);
    }

    #[test]
    fn errors_point_at_their_position() {
        let v = vars(&[("a", 1.0)]);
        assert_eq!(parse(""), Err(ExprError::Empty));
        assert_eq!(parse("   "), Err(ExprError::Empty));
        assert_eq!(parse("1 +"), Err(ExprError::UnexpectedEnd { pos: 3 }));
        assert_eq!(parse("(1 + 2"), Err(ExprError::UnclosedParen { pos: 0 }));
        assert_eq!(
            parse("1 + 2)"),
            Err(ExprError::UnexpectedChar { pos: 5, ch: ')' })
        );
        assert_eq!(
            parse("2 $ 3"),
            Err(ExprError::UnexpectedChar { pos: 2, ch: '$' })
        );
        assert_eq!(
            parse("2 3"),
            Err(ExprError::Expected {
                pos: 2,
                what: "operator"
            })
        );
        assert_eq!(
            parse("* 3"),
            Err(ExprError::Expected {
                pos: 0,
                what: "value"
            })
        );
        assert_eq!(parse("1..2"), Err(ExprError::BadNumber { pos: 0 }));
        assert_eq!(
            evaluate("a + bb", &v),
            Err(ExprError::UnknownVariable {
                pos: 4,
                name: "bb".into()
            })
        );
        assert_eq!(
            evaluate("a / (a - 1)", &v),
            Err(ExprError::DivisionByZero { pos: 2 })
        );
        assert_eq!(parse("あ + $").unwrap_err().pos(), Some(4));
    }

    /// Run `f` on a thread with a small stack (half the browser's 1 MiB; a test thread's
    /// default is 2 MiB), so that unbounded recursion shows as a crash, not a pass: the old
    /// recursive parser needed about 2 KiB per level in a debug build, 10 MB for 5,000.
    fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
        std::thread::Builder::new()
            .stack_size(512 * 1024)
            .spawn(f)
            .unwrap()
            .join()
            .expect("no stack overflow")
    }

    #[test]
    fn deep_nesting_is_refused_with_its_position_not_a_stack_overflow() {
        // 5,000 levels are refused for their length already; 400 fit in the length limit
        // and are refused at the first parenthesis past the nesting limit.
        let nested = format!("{}1{}", "(".repeat(5000), ")".repeat(5000));
        let e = on_small_stack(move || parse(&nested).map(|_| ()));
        assert!(matches!(e, Err(ExprError::TooLong { .. })), "{e:?}");
        let nested = format!("{}1{}", "(".repeat(400), ")".repeat(400));
        let e = on_small_stack(move || parse(&nested).map(|_| ()));
        assert_eq!(
            e,
            Err(ExprError::TooDeep {
                pos: MAX_DEPTH,
                limit: MAX_DEPTH
            })
        );
        // Signs nest too.
        let signs = format!("{}1", "-".repeat(5000));
        let e = on_small_stack(move || parse(&signs).map(|_| ()));
        assert!(matches!(e, Err(ExprError::TooLong { .. })), "{e:?}");
        let signs = format!("{}1", "- ".repeat(MAX_DEPTH + 1));
        let e = on_small_stack(move || parse(&signs).map(|_| ()));
        assert!(matches!(e, Err(ExprError::TooDeep { .. })), "{e:?}");
        // Nesting up to the limit is fine.
        let ok = format!("{}2{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
        assert_eq!(evaluate(&ok, &HashMap::new()), Ok(2.0));
    }

    #[test]
    fn a_long_formula_is_refused_with_its_position() {
        let sum = format!("{}1", "1+".repeat(9_999));
        let e = on_small_stack(move || evaluate(&sum, &HashMap::new()));
        assert_eq!(
            e,
            Err(ExprError::TooLong {
                pos: MAX_LENGTH,
                limit: MAX_LENGTH
            })
        );
        // The longest formula allowed evaluates.
        let sum = format!("{}1", "1+".repeat((MAX_LENGTH - 1) / 2));
        assert!(sum.chars().count() <= MAX_LENGTH);
        let n = (MAX_LENGTH - 1) / 2 + 1;
        assert_eq!(
            on_small_stack(move || evaluate(&sum, &HashMap::new())),
            Ok(n as f64)
        );
    }

    #[test]
    fn evaluation_and_dropping_do_not_recurse() {
        // A sum of 100,000 terms built directly (the parser refuses such a long text): its
        // tree is 100,000 levels deep on the left.
        let result = on_small_stack(|| {
            let mut e = Expr::Num(1.0);
            for _ in 1..100_000 {
                e = Expr::Bin {
                    op: Op::Add,
                    pos: 0,
                    lhs: Box::new(e),
                    rhs: Box::new(Expr::Var {
                        name: "x".into(),
                        pos: 0,
                    }),
                };
            }
            for _ in 0..100_000 {
                e = Expr::Neg(Box::new(e));
            }
            let v = e.eval(&[("x".to_string(), 1.0)].into_iter().collect());
            let names = e.variables();
            drop(e);
            (v, names)
        });
        assert_eq!(result, (Ok(100_000.0), vec!["x".to_string()]));
    }

    #[test]
    fn a_comma_is_not_a_decimal_point() {
        let v = HashMap::new();
        assert_eq!(parse("1,5"), Err(ExprError::CommaInNumber { pos: 1 }));
        assert_eq!(parse("2 * 1,50"), Err(ExprError::CommaInNumber { pos: 5 }));
        assert_eq!(parse("1,5000"), Err(ExprError::CommaInNumber { pos: 1 }));
        assert_eq!(parse("1.5,000"), Err(ExprError::CommaInNumber { pos: 3 }));
        assert_eq!(parse("1,"), Err(ExprError::CommaInNumber { pos: 1 }));
        assert_eq!(parse("1,,000"), Err(ExprError::CommaInNumber { pos: 1 }));
        // Commas between groups of three digits stay allowed.
        assert_eq!(evaluate("10,000 + 1,000,000.5", &v), Ok(1_010_000.5));
    }

    #[test]
    fn names_may_be_japanese_but_not_start_with_a_digit() {
        assert!(is_valid_name("検査員数"));
        assert!(is_valid_name("_x1"));
        assert!(!is_valid_name("1x"));
        assert!(!is_valid_name("a-b"));
        assert!(!is_valid_name(""));
    }
}
