# Conversion
def totype(p; e): if p then . else fromjson | if p then . else e end end;
def toboolean: if . == true or . == "true" then true elif . == false or . == "false" then false
  else error("\(_describe) cannot be parsed as a boolean") end;

# Arrays
def transpose: [range([.[] | length] | max) as $i | [.[][$i]]];

# Indexing
def in(xs)    : . as $x | xs | has     ($x);
def inside(xs): . as $x | xs | contains($x);
def  index($i): indices($i)[ 0];
def rindex($i): indices($i)[-1];

# Formatting
def @json: tojson;

