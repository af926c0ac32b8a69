// One function per subcommand; each parses its own options (argv[0] is the subcommand name)
// and returns the exit code. Errors are thrown as segmint::Error and mapped in main().
#pragma once

namespace segmint::cli {

int cmd_run(int argc, char** argv);       // cmd_run.cpp      events -> segments, all outputs
int cmd_cluster(int argc, char** argv);   // cmd_cluster.cpp  user feature table -> segments
int cmd_assign(int argc, char** argv);    // cmd_assign.cpp   model + events -> assignments
int cmd_features(int argc, char** argv);  // cmd_features.cpp events -> raw feature table
int cmd_sweep(int argc, char** argv);     // cmd_sweep.cpp    k range -> quality metrics
int cmd_generate(int argc, char** argv);  // cmd_generate.cpp synthetic event log + truth
int cmd_convert(int argc, char** argv);   // cmd_convert.cpp  events -> binary event store
int cmd_info(int argc, char** argv);      // cmd_info.cpp     event counts
int cmd_nightly(int argc, char** argv);   // cmd_nightly.cpp  merge new events, recluster, stable ids
int cmd_report(int argc, char** argv);    // cmd_report.cpp   report.html of a run, nightly or sweep

}  // namespace segmint::cli
