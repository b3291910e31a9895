# Configurations that would make an evaluator allocate without end,
# recurse without end or loop for minutes. Each alias is alias-unknown
# naming the limit it hit; nothing panics or aborts.

resource "aws_cloudfront_distribution" "huge_count" {
  count   = 1e300
  aliases = ["a${count.index}.example.com"]
}

resource "aws_cloudfront_distribution" "big_count" {
  count   = 100000000
  aliases = ["b${count.index}.example.com"]
}

resource "aws_cloudfront_distribution" "negative_count" {
  count   = -5
  aliases = ["c.example.com"]
}

resource "aws_cloudfront_distribution" "fraction_count" {
  count   = 1.5
  aliases = ["d.example.com"]
}

locals {
  s0 = "aaaaaaaaaaaaaaaa"
  s1 = "${local.s0}${local.s0}"
  s2 = "${local.s1}${local.s1}"
  s3 = "${local.s2}${local.s2}"
  s4 = "${local.s3}${local.s3}"
  s5 = "${local.s4}${local.s4}"
  s6 = "${local.s5}${local.s5}"
  s7 = "${local.s6}${local.s6}"
  s8 = "${local.s7}${local.s7}"
  s9 = "${local.s8}${local.s8}"
  s10 = "${local.s9}${local.s9}"
  s11 = "${local.s10}${local.s10}"
  s12 = "${local.s11}${local.s11}"
  s13 = "${local.s12}${local.s12}"
  s14 = "${local.s13}${local.s13}"
  s15 = "${local.s14}${local.s14}"
  s16 = "${local.s15}${local.s15}"
  s17 = "${local.s16}${local.s16}"
  s18 = "${local.s17}${local.s17}"
  s19 = "${local.s18}${local.s18}"
  s20 = "${local.s19}${local.s19}"
  s21 = "${local.s20}${local.s20}"
  s22 = "${local.s21}${local.s21}"
  s23 = "${local.s22}${local.s22}"
  s24 = "${local.s23}${local.s23}"
  s25 = "${local.s24}${local.s24}"
  s26 = "${local.s25}${local.s25}"
  s27 = "${local.s26}${local.s26}"
  s28 = "${local.s27}${local.s27}"
  s29 = "${local.s28}${local.s28}"
  s30 = "${local.s29}${local.s29}"
  s31 = "${local.s30}${local.s30}"
  s32 = "${local.s31}${local.s31}"
  s33 = "${local.s32}${local.s32}"
  s34 = "${local.s33}${local.s33}"
  s35 = "${local.s34}${local.s34}"
  s36 = "${local.s35}${local.s35}"
  s37 = "${local.s36}${local.s36}"
  s38 = "${local.s37}${local.s37}"
  s39 = "${local.s38}${local.s38}"
  s40 = "${local.s39}${local.s39}"
  l0 = ["x.example.com"]
  l1 = [local.l0, local.l0]
  l2 = [local.l1, local.l1]
  l3 = [local.l2, local.l2]
  l4 = [local.l3, local.l3]
  l5 = [local.l4, local.l4]
  l6 = [local.l5, local.l5]
  l7 = [local.l6, local.l6]
  l8 = [local.l7, local.l7]
  l9 = [local.l8, local.l8]
  l10 = [local.l9, local.l9]
  l11 = [local.l10, local.l10]
  l12 = [local.l11, local.l11]
  l13 = [local.l12, local.l12]
  l14 = [local.l13, local.l13]
  l15 = [local.l14, local.l14]
  l16 = [local.l15, local.l15]
  l17 = [local.l16, local.l16]
  l18 = [local.l17, local.l17]
  l19 = [local.l18, local.l18]
  l20 = [local.l19, local.l19]
  l21 = [local.l20, local.l20]
  l22 = [local.l21, local.l21]
  l23 = [local.l22, local.l22]
  l24 = [local.l23, local.l23]
  l25 = [local.l24, local.l24]
  l26 = [local.l25, local.l25]
  l27 = [local.l26, local.l26]
  l28 = [local.l27, local.l27]
  l29 = [local.l28, local.l28]
  l30 = [local.l29, local.l29]
  l31 = [local.l30, local.l30]
  l32 = [local.l31, local.l31]
  l33 = [local.l32, local.l32]
  l34 = [local.l33, local.l33]
  l35 = [local.l34, local.l34]
  l36 = [local.l35, local.l35]
  l37 = [local.l36, local.l36]
  l38 = [local.l37, local.l37]
  l39 = [local.l38, local.l38]
  l40 = [local.l39, local.l39]
  bomb = <<-YAML
    a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]
    b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
    c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
    d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
    e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
    f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]
    g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]
    h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]
  YAML
}

resource "aws_cloudfront_distribution" "doubled_string" {
  aliases = ["${local.s40}.example.com"]
}

resource "aws_cloudfront_distribution" "doubled_list" {
  aliases = flatten(local.l40)
}

resource "aws_cloudfront_distribution" "replace_blowup" {
  aliases = [replace(replace(replace(local.s12, "a", local.s12), "a", local.s12), "a", local.s12)]
}

resource "aws_cloudfront_distribution" "billion_laughs" {
  aliases = flatten(values(yamldecode(local.bomb)))
}

