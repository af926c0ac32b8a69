// The one error policy: every failure is an exception carrying what went wrong and where.
#pragma once
#include <stdexcept>
#include <string>

namespace segmint {

/// What kind of failure; the CLI maps it to an exit code (see exit_code()).
enum class ErrorKind {
  input,    ///< bad input data or file (exit 2)
  usage,    ///< bad command line (exit 2)
  runtime,  ///< failure while running: I/O, internal (exit 3)
  device,   ///< GPU failure: no device, out of memory, kernel error (exit 3)
  locked,   ///< another run holds the lock (exit 4)
};

/// Base of all segmint exceptions. what() is the full message shown to the user.
class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const noexcept { return kind_; }

 private:
  ErrorKind kind_;
};

/// Bad input. Message format: "FILE:LINE: what is wrong" (line 0 = whole file).
class InputError : public Error {
 public:
  explicit InputError(const std::string& message) : Error(ErrorKind::input, message) {}
  InputError(const std::string& file, unsigned long long line, const std::string& what)
      : Error(ErrorKind::input, locate(file, line) + what) {}
  static std::string locate(const std::string& file, unsigned long long line) {
    return line ? file + ":" + std::to_string(line) + ": " : file + ": ";
  }
};

class UsageError : public Error {
 public:
  explicit UsageError(const std::string& message) : Error(ErrorKind::usage, message) {}
};

class RuntimeError : public Error {
 public:
  explicit RuntimeError(const std::string& message) : Error(ErrorKind::runtime, message) {}
};

class DeviceError : public Error {
 public:
  explicit DeviceError(const std::string& message) : Error(ErrorKind::device, message) {}
};

class LockedError : public Error {
 public:
  explicit LockedError(const std::string& message) : Error(ErrorKind::locked, message) {}
};

/// Process exit code for an error kind: 2 input/usage, 3 runtime/device, 4 locked.
inline int exit_code(ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::input:
    case ErrorKind::usage: return 2;
    case ErrorKind::locked: return 4;
    default: return 3;
  }
}

}  // namespace segmint
