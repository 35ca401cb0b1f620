#pragma once

// Decoding what browsers send: application/x-www-form-urlencoded bodies and query strings,
// and Cookie headers. Pure functions over client input: malformed input never throws, it
// decodes to what can be read (a bad %-escape is kept as written).

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace govmail::portal {

// Field name -> value; a repeated field keeps its first value (forms here never repeat one,
// except check boxes, read with decode_form_all).
using Fields = std::map<std::string, std::string>;

// "a=1&b=x+y%21" -> {a: "1", b: "x y!"}.
Fields decode_form(std::string_view body);

// Every value of NAME in BODY, in order ("mailbox=INBOX&mailbox=Sent").
std::vector<std::string> decode_form_all(std::string_view body, std::string_view name);

// %XX and '+' decoding of one component.
std::string percent_decode(std::string_view text);

// "a=1; b=2" -> {a: "1", b: "2"}; a repeated name keeps its first value (the most specific
// path, as browsers order them).
Fields parse_cookies(std::string_view header);

// The value of NAME in FIELDS, or empty.
std::string_view field(const Fields& fields, std::string_view name);

}  // namespace govmail::portal
