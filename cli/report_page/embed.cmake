# embed.cmake - turns the report page into a C header, at build time:
#     cmake -DPAGE_DIR=dir -DOUT=report_page.h -P embed.cmake
# page.css and page.js go into page.html in place of their markers; the result becomes
# one byte array, so the `leakshim` command needs no file beside it. Only the data
# marker @LEAKSHIM_DATA@ is left for the command to fill. Plain CMake, so building needs
# no xxd.
file(READ ${PAGE_DIR}/page.html html)
file(READ ${PAGE_DIR}/page.css css)
file(READ ${PAGE_DIR}/page.js js)

# The page's script and style sit inside <script> and <style>: text that would end them
# early would break every page, so it stops the build instead.
string(TOLOWER "${js}" js_lower)
string(TOLOWER "${css}" css_lower)
string(FIND "${js_lower}" "</script" js_end)
string(FIND "${css_lower}" "</style" css_end)
if(NOT js_end EQUAL -1 OR NOT css_end EQUAL -1)
    message(FATAL_ERROR "page.js or page.css contains a closing </script or </style tag")
endif()

foreach(marker "/*@PAGE_CSS@*/" "/*@PAGE_JS@*/" "@LEAKSHIM_DATA@")
    string(FIND "${html}" "${marker}" at)
    if(at EQUAL -1)
        message(FATAL_ERROR "page.html has no ${marker} marker")
    endif()
endforeach()
string(REPLACE "/*@PAGE_CSS@*/" "${css}" html "${html}")
string(REPLACE "/*@PAGE_JS@*/" "${js}" html "${html}")

# One "0x.." per byte, 16 to a line.
string(HEX "${html}" hex)
string(LENGTH "${hex}" hex_len)
math(EXPR n_bytes "${hex_len} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REPEAT "0x..," 16 sixteen) # CMake's regular expressions have no {16}
string(REGEX REPLACE "(${sixteen})" "\\1\n" bytes "${bytes}")

set(header "/* Generated from cli/report_page by embed.cmake: do not edit. */\n")
string(APPEND header "static const unsigned char ls_report_page[${n_bytes}] = {\n${bytes}\n};\n")
file(WRITE ${OUT}.tmp "${header}")
file(RENAME ${OUT}.tmp ${OUT})
