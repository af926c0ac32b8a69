// The Parquet reader of the CLI, on Arrow C++ (built only when Arrow C++ and Parquet are found):
// the file's record batches, exported as an Arrow C stream, read by open_arrow_events().
#include <arrow/c/bridge.h>
#include <arrow/io/file.h>
#include <arrow/record_batch.h>
#include <parquet/arrow/reader.h>
#include <parquet/exception.h>

#include "ingest/parquet_hook.hpp"
#include "segmint/arrow_c.hpp"
#include "segmint/error.hpp"

namespace segmint::ingest {
namespace {

template <typename T>
T value_or_throw(arrow::Result<T> result, const std::string& path) {
  if (!result.ok()) throw InputError(path, 0, result.status().ToString());
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

std::unique_ptr<EventSource> open_parquet_file(const std::string& path,
                                               const IngestOptions& options,
                                               UserDictionary& users) {
  auto file = value_or_throw(arrow::io::ReadableFile::Open(path), path);
  std::unique_ptr<parquet::arrow::FileReader> reader;
  try {
    reader = value_or_throw(parquet::arrow::OpenFile(file, arrow::default_memory_pool()), path);
  } catch (const parquet::ParquetException& e) {
    throw InputError(path, 0, e.what());
  }
  reader->set_batch_size(static_cast<std::int64_t>(std::max<std::size_t>(options.batch_rows, 1)));
  std::shared_ptr<arrow::RecordBatchReader> inner =
      value_or_throw(reader->GetRecordBatchReader(), path);
  auto batches = std::make_shared<FileBatches>(std::move(reader), std::move(inner));
  ArrowArrayStream stream{};
  const arrow::Status exported = arrow::ExportRecordBatchReader(batches, &stream);
  if (!exported.ok()) throw InputError(path, 0, exported.ToString());
  return open_arrow_events(&stream, options, users, path);
}

}  // namespace

/// Registers the Arrow C++ Parquet reader with open_events() (called once by the CLI's main).
void register_parquet_reader() { set_parquet_opener(&open_parquet_file); }

}  // namespace segmint::ingest
