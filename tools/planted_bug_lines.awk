# Prints the numbers of the lines of src/pair/socket_pair.cc that only a planted
# bug (src/pair/mutation.h) runs: the bodies, closing brace included, of every
# `if` or `while` whose condition is `mutation_ == Mutation::k...` alone or
# and-ed with more. The hardened emulation (Mutation::kNone) never enters them,
# so tools/fuzz_coverage.sh reports its coverage without them as well.
#
#   awk -f tools/planted_bug_lines.awk src/pair/socket_pair.cc

# Returns the number of `c` characters in `s`.
function count(s, c,    n, i) {
  n = 0
  for (i = 1; i <= length(s); ++i) if (substr(s, i, 1) == c) ++n
  return n
}

# Not in a planted block: look for one's condition.
depth == 0 && !header && /^[ \t]*(if|while) \(mutation_ == Mutation::k[A-Za-z]+( &&|\))/ {
  header = 1
  condition = ""
}

header {
  condition = condition $0
  if ($0 ~ /;[ \t]*$/) header = 0  # a one-line statement: nothing to count
  else if ($0 ~ /\{[ \t]*$/) {
    header = 0
    # An or-ed condition may hold without the planted bug: not counted.
    if (index(condition, "||") == 0) depth = 1
  }
  next
}

depth > 0 {
  print NR
  depth += count($0, "{") - count($0, "}")
}
