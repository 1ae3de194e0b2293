// ReadFile: a whole file's bytes, or the errno that stopped reading it.
//
// For the command line's file arguments (crash files, plan files): the errno
// says why a file cannot be read (ENOENT, EACCES, EISDIR, ...), which the
// caller puts in its message.

#ifndef SOCKFI_SRC_SYS_READ_FILE_H_
#define SOCKFI_SRC_SYS_READ_FILE_H_

#include <string>

#include "src/sys/sys_result.h"

namespace sockfi {

// Returns the bytes of the file at `path`, or the errno of opening or reading
// it: EISDIR for a directory.
SysResult<std::string> ReadFile(const std::string& path);

}  // namespace sockfi

#endif  // SOCKFI_SRC_SYS_READ_FILE_H_
