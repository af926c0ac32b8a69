// `segmint help COMMAND` examples and `segmint --version`.
#pragma once
#include <cstdio>
#include <string>

namespace segmint::cli {

/// Worked examples for a subcommand (several lines, each "  $ segmint ..." with a comment
/// above it); "" for an unknown name.
std::string command_examples(const std::string& command);

/// Prints the version, git commit, whether the CUDA backend is built in and which device a
/// run with --device auto would use (or why it falls back to the CPU).
void print_version(std::FILE* to);

}  // namespace segmint::cli
