// render_in_order: text of many rows rendered on all threads, handed on in row order.
#pragma once
#include <cstddef>
#include <functional>
#include <string>

namespace segmint {

/// Renders rows [0, rows) with `render(begin, end, out)` (appending rows [begin, end) to out) on
/// all threads and hands each block's text to `emit` in row order, so the bytes do not depend on
/// the thread count. Blocks are of equal size, at most `max_block_rows`, a round of one block a
/// thread at a time (only one round's text is held). An exception from `render` or `emit` is
/// rethrown here.
void render_in_order(std::size_t rows, std::size_t max_block_rows,
                     const std::function<void(std::size_t, std::size_t, std::string&)>& render,
                     const std::function<void(std::string&)>& emit);

}  // namespace segmint
