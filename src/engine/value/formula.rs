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
    UnexpectedChar { pos: usize, ch: char },
    UnexpectedEnd { pos: usize },
    Expected { pos: usize, what: &'static str },
    UnclosedParen { pos: usize },
    UnknownVariable { pos: usize, name: String },
    DivisionByZero { pos: usize },
    BadNumber { pos: usize },
}

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
            | BadNumber { pos } => Some(*pos),
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
                // Thousands separators are allowed for readability: 10,000,000 or 10_000_000.
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

    fn unary(&mut self) -> Result<Expr, ExprError> {
        match self.peek() {
            Some((_, Tok::Op(Op::Sub))) => {
                self.at += 1;
                Ok(Expr::Neg(Box::new(self.unary()?)))
            }
            Some((_, Tok::Op(Op::Add))) => {
                self.at += 1;
                self.unary()
            }
            _ => self.primary(),
        }
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
                let inner = self.expr()?;
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
    let toks = lex(src)?;
    if toks.is_empty() {
        return Err(ExprError::Empty);
    }
    let mut p = Parser {
        toks,
        at: 0,
        end: src.chars().count(),
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
    /// Evaluate with these variable values.
    pub fn eval(&self, vars: &HashMap<String, f64>) -> Result<f64, ExprError> {
        Ok(match self {
            Expr::Num(v) => *v,
            Expr::Var { name, pos } => {
                *vars.get(name).ok_or_else(|| ExprError::UnknownVariable {
                    pos: *pos,
                    name: name.clone(),
                })?
            }
            Expr::Neg(e) => -e.eval(vars)?,
            Expr::Bin { op, pos, lhs, rhs } => {
                let (a, b) = (lhs.eval(vars)?, rhs.eval(vars)?);
                match op {
                    Op::Add => a + b,
                    Op::Sub => a - b,
                    Op::Mul => a * b,
                    Op::Div if b == 0.0 => return Err(ExprError::DivisionByZero { pos: *pos }),
                    Op::Div => a / b,
                }
            }
        })
    }

    /// Names of the variables used, in order of first use.
    pub fn variables(&self) -> Vec<String> {
        fn walk(e: &Expr, out: &mut Vec<String>) {
            match e {
                Expr::Num(_) => {}
                Expr::Var { name, .. } => {
                    if !out.contains(name) {
                        out.push(name.clone())
                    }
                }
                Expr::Neg(e) => walk(e, out),
                Expr::Bin { lhs, rhs, .. } => {
                    walk(lhs, out);
                    walk(rhs, out);
                }
            }
        }
        let mut out = Vec::new();
        walk(self, &mut out);
        out
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

    #[test]
    fn names_may_be_japanese_but_not_start_with_a_digit() {
        assert!(is_valid_name("検査員数"));
        assert!(is_valid_name("_x1"));
        assert!(!is_valid_name("1x"));
        assert!(!is_valid_name("a-b"));
        assert!(!is_valid_name(""));
    }
}
