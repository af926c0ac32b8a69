// The Parquet module (libsegmint_parquet.so, built only when Arrow C++ and Parquet are found):
// a file's record batches exported as an Arrow C stream, which the CLI reads with
// open_arrow_events() like any other stream (ingest/parquet_module.hpp says why it is a module).
#include <arrow/c/bridge.h>
#include <arrow/io/file.h>
#include <arrow/record_batch.h>
#include <parquet/arrow/reader.h>
#include <parquet/exception.h>

#include <algorithm>
#include <cstring>
#include <exception>
#include <stdexcept>
#include <type_traits>

#include "ingest/parquet_module.hpp"

namespace {

template <typename T>
T value_or_throw(arrow::Result<T> result) {
  if (!result.ok()) throw std::runtime_error(result.status().ToString());
  return std::move(result).ValueOrDie();
}

// The file's batches; owns the file reader, which the batch reader reads through.
class FileBatches : public arrow::RecordBatchReader {
 public:
  FileBatches(std::unique_ptr<parquet::arrow::FileReader> file,
              std::shared_ptr<arrow::RecordBatchReader> batches)
      : file_(std::move(file)), batches_(std::move(batches)) {}
  std::shared_ptr<arrow::Schema> schema() const override { return batches_->schema(); }
  arrow::Status ReadNext(std::shared_ptr<arrow::RecordBatch>* batch) override {
    return batches_->ReadNext(batch);
  }

 private:
  std::unique_ptr<parquet::arrow::FileReader> file_;
  std::shared_ptr<arrow::RecordBatchReader> batches_;
};

void export_batches(const char* path, long long batch_rows, ArrowArrayStream* out) {
  auto file = value_or_throw(arrow::io::ReadableFile::Open(path));
  auto reader = value_or_throw(parquet::arrow::OpenFile(file, arrow::default_memory_pool()));
  reader->set_batch_size(std::max<long long>(batch_rows, 1));
  std::shared_ptr<arrow::RecordBatchReader> inner = value_or_throw(reader->GetRecordBatchReader());
  auto batches = std::make_shared<FileBatches>(std::move(reader), std::move(inner));
  const arrow::Status exported = arrow::ExportRecordBatchReader(batches, out);
  if (!exported.ok()) throw std::runtime_error(exported.ToString());
}

void set_error(char* err, std::size_t err_size, const char* what) {
  if (err_size == 0) return;
  std::strncpy(err, what, err_size - 1);
  err[err_size - 1] = '\0';
}

}  // namespace

extern "C" __attribute__((visibility("default"))) int segmint_parquet_open(
    const char* path, long long batch_rows, ArrowArrayStream* out, char* err,
    std::size_t err_size) {
  // Nothing may unwind into the caller: every failure (Arrow's status, a ParquetException,
  // bad_alloc) becomes the message.
  try {
    export_batches(path, batch_rows, out);
    return 0;
  } catch (const std::exception& e) {
    set_error(err, err_size, e.what());
  } catch (...) {
    set_error(err, err_size, "unknown error");
  }
  return 1;
}

// The entry's type is the one the CLI calls through.
static_assert(std::is_same_v<decltype(&segmint_parquet_open), segmint::ingest::ParquetModuleOpen>);
