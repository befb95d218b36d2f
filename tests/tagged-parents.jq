# tests/tagged.sh: for qpdf --json of a tagged PDF, prints one line per marked-content reference whose parent tree entry is not its element, then
# the count of references checked. A structure element is a dictionary with /S and /P (its /Type
# /StructElem is optional, ISO 32000-1 Table 323, and handout leaves it out)
.qpdf[1] as $o
| def d: if type == "string" and endswith(" R") then $o["obj:" + .].value else . end;
  ([$o | to_entries[] | select((.value.value | type) == "object")] ) as $all
| ($all | map(select(.value.value["/Type"] == "/StructTreeRoot"))[0].value.value["/ParentTree"] | d) as $pt
| ((if $pt["/Nums"] then [$pt] else [$pt["/Kids"][] | d] end) | map(.["/Nums"] | . as $n | [range(0; length; 2) | {key: ($n[.] | tostring), value: ($n[. + 1] | d)}]) | add | from_entries) as $tree
| ($all | map(select(.value.value["/Type"] == "/Page")) | map({key: (.key | ltrimstr("obj:")), value: .value.value["/StructParents"]}) | from_entries) as $pages
| [$all[] | select(.value.value as $v | $v["/S"] and $v["/P"] and (($v["/Type"] // "/StructElem") == "/StructElem")) | (.key | ltrimstr("obj:")) as $me | .value.value as $e
   | ($e["/K"] // [])[] | d
   | if type == "number" then {pg: $e["/Pg"], mcid: .} elif type == "object" and .["/Type"] == "/MCR" then {pg: .["/Pg"], mcid: .["/MCID"]} else empty end
   | {me: $me, ok: ($tree[$pages[.pg] | tostring][.mcid] == $me)}]
| (map(select(.ok | not) | "wrong: " + .me)[]), "checked \(length)"
