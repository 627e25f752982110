/* SPDX-License-Identifier: MIT
 *
 * profile_proto.h - the field numbers of profile.proto's messages (github.com/google/pprof,
 * proto/profile.proto), one enum per message, named MESSAGE_FIELD after it.
 *
 * The shim's writer (report_pprof.c), the CLI's reader (cli/profile_pprof.c) and its
 * difference profile (cli/diff_pprof.c) all take them from here, so none can drift from
 * the others. Only the fields leakshim writes or reads are listed. Constants only: safe
 * to include anywhere, the shim's malloc path included.
 */
#ifndef LS_PROFILE_PROTO_H
#define LS_PROFILE_PROTO_H

/* Profile, the top-level message. */
enum {
    PROFILE_SAMPLE_TYPE = 1,
    PROFILE_SAMPLE = 2,
    PROFILE_MAPPING = 3,
    PROFILE_LOCATION = 4,
    PROFILE_FUNCTION = 5,
    PROFILE_STRING_TABLE = 6,
    PROFILE_TIME_NANOS = 9,
    PROFILE_DURATION_NANOS = 10,
    PROFILE_PERIOD_TYPE = 11,
    PROFILE_PERIOD = 12,
    PROFILE_COMMENT = 13,
    PROFILE_DEFAULT_SAMPLE_TYPE = 14,
};

/* ValueType: a sample_type or the period_type, both string-table indexes. */
enum {
    VALUE_TYPE_TYPE = 1,
    VALUE_TYPE_UNIT = 2,
};

/* Sample: location ids innermost first, one value per sample_type, labels. */
enum {
    SAMPLE_LOCATION_ID = 1,
    SAMPLE_VALUE = 2,
    SAMPLE_LABEL = 3,
};

/* Label: key and str are string-table indexes. */
enum {
    LABEL_KEY = 1,
    LABEL_STR = 2,
};

enum {
    MAPPING_ID = 1,
    MAPPING_MEMORY_START = 2,
    MAPPING_MEMORY_LIMIT = 3,
    MAPPING_FILE_OFFSET = 4,
    MAPPING_FILENAME = 5,
    MAPPING_BUILD_ID = 6,
    MAPPING_HAS_FUNCTIONS = 7,
    MAPPING_HAS_FILENAMES = 8,
    MAPPING_HAS_LINE_NUMBERS = 9,
    MAPPING_HAS_INLINE_FRAMES = 10,
};

/* Location: one address; its Lines are the function and those inlined into it. */
enum {
    LOCATION_ID = 1,
    LOCATION_MAPPING_ID = 2,
    LOCATION_ADDRESS = 3,
    LOCATION_LINE = 4,
};

/* Line, inside a Location. */
enum {
    LINE_FUNCTION_ID = 1,
    LINE_LINE = 2,
};

enum {
    FUNCTION_ID = 1,
    FUNCTION_NAME = 2,
    FUNCTION_SYSTEM_NAME = 3,
    FUNCTION_FILENAME = 4,
};

#endif
