// Device aggregation kernels: sort keys, user segment offsets, the per-user time-ordered walk and
// the per-set run walks that fill the exact UserSummary (see feat_kernels.hpp for the plan).
#include "features/feat_cuda.hpp"
#include "features/feat_kernels.hpp"
#include "segmint/events.hpp"

namespace segmint::gpufeat {
namespace {

using detail::kNoLastTime;
using detail::kNoTime;
using detail::UserSummary;

constexpr int kBlock = 256;
constexpr std::uint8_t kView = 0, kCart = 1, kPurchase = 3, kCancel = 4, kSend = 5, kOpen = 6,
                       kClick = 7;
static_assert(static_cast<int>(EventType::email_click) == kClick, "event type values moved");

int grid_for(std::size_t n) {
  const std::size_t g = (n + kBlock - 1) / kBlock;
  return static_cast<int>(g < 65535 * 4 ? (g ? g : 1) : 65535 * 4);
}
#define SEGMINT_GRID_STRIDE(i, n)                                                       \
  for (std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; \
       i < (n); i += static_cast<std::size_t>(gridDim.x) * blockDim.x)

__device__ std::uint64_t ordered(std::int64_t v) {  // signed order as unsigned order
  return static_cast<std::uint64_t>(v) ^ (1ull << 63);
}

__device__ void count_order(UserSummary& s, std::int64_t t) {
  s.orders += 1;
  s.first_order = min(s.first_order, t);
  s.last_order = max(s.last_order, t);
}

__global__ void __launch_bounds__(kBlock) user_keys_kernel(PassColumns c, std::size_t n,
                                                           std::uint64_t* keys,
                                                           std::uint32_t* vals) {
  SEGMINT_GRID_STRIDE(r, n) {
    keys[r] = c.user[r];
    vals[r] = static_cast<std::uint32_t>(r);
  }
}

__global__ void __launch_bounds__(kBlock) offsets_kernel(const std::uint64_t* sorted, std::size_t n,
                                                         std::size_t users, int* offsets) {
  SEGMINT_GRID_STRIDE(u, users + 1) {
    std::size_t lo = 0, hi = n;  // first position with key >= u
    while (lo < hi) {
      const std::size_t mid = (lo + hi) / 2;
      if (sorted[mid] < u) lo = mid + 1; else hi = mid;
    }
    offsets[u] = static_cast<int>(lo);
  }
}

__global__ void __launch_bounds__(kBlock) time_keys_kernel(PassColumns c, const std::uint32_t* rows,
                                                           std::size_t n, std::uint64_t* keys,
                                                           std::uint32_t* vals) {
  SEGMINT_GRID_STRIDE(p, n) {
    keys[p] = ordered(c.time[rows[p]]);
    vals[p] = rows[p];
  }
}

__global__ void __launch_bounds__(kBlock) scalar_kernel(PassColumns c, const std::uint32_t* perm,
                                                        const int* off, std::size_t users,
                                                        std::int64_t gap, std::int64_t tz,
                                                        UserSummary* out) {
  SEGMINT_GRID_STRIDE(u, users) {
    UserSummary s{};
    s.first_event = kNoTime;
    s.last_event = kNoLastTime;
    s.last_purchase = kNoLastTime;
    s.first_order = kNoTime;
    s.last_order = kNoLastTime;
    bool in_gap = false;
    std::int64_t g_start = 0, g_end = 0;
    for (int i = off[u]; i < off[u + 1]; ++i) {
      const std::uint32_t r = perm[i];
      const std::int64_t t = c.time[r];
      const std::uint8_t ty = c.type[r];
      s.views += ty == kView;
      s.carts += ty == kCart;
      s.purchases += ty == kPurchase;
      s.cancels += ty == kCancel;
      s.email_sends += ty == kSend;
      s.email_opens += ty == kOpen;
      s.email_clicks += ty == kClick;
      s.first_event = min(s.first_event, t);
      s.last_event = max(s.last_event, t);
      if (ty == kPurchase) {
        s.money_purchase_micro += detail::money_micro(c.amount[r]);
        s.last_purchase = max(s.last_purchase, t);
        if (c.order[r] == kNoKey && c.session[r] == kNoKey) count_order(s, t);  // loose purchase
      } else if (ty == kCancel) {
        s.money_cancel_micro += detail::money_micro(fabs(c.amount[r]));
      }
      if (ty == kSend) continue;  // not the user's own activity
      s.activity += 1;
      const int part = detail::day_part(t, tz);
      s.night += part == 0;
      s.morning += part == 1;
      s.afternoon += part == 2;
      s.evening += part == 3;
      s.weekend += detail::is_weekend(t, tz);
      if (c.session[r] != kNoKey) continue;
      // Events without a session id, in time order: a gap longer than `gap` starts a new session.
      if (in_gap && t - g_end <= gap) {
        g_end = t;
      } else {
        if (in_gap) {
          s.sessions += 1;
          s.session_seconds += g_end - g_start;
        }
        in_gap = true;
        g_start = g_end = t;
      }
    }
    if (in_gap) {
      s.sessions += 1;
      s.session_seconds += g_end - g_start;
    }
    for (int i = off[u]; i < off[u + 1]; ++i) {  // carts not followed by any purchase
      const std::uint32_t r = perm[i];
      s.open_carts += c.type[r] == kCart && c.time[r] > s.last_purchase;
    }
    out[u] = s;
  }
}

__device__ bool in_set(SetKind k, const PassColumns& c, std::uint32_t r) {
  const std::uint8_t ty = c.type[r];
  switch (k) {
    case SetKind::days: return ty != kSend;
    case SetKind::orders: return (ty == kPurchase || ty == kCancel) && c.order[r] != kNoKey;
    case SetKind::sessions: return ty != kSend && c.session[r] != kNoKey;
    default: return ty != kSend && (c.category[r] != kNoKey || c.item[r] != kNoKey);
  }
}

__global__ void __launch_bounds__(kBlock) set_keys_kernel(SetKind k, PassColumns c,
                                                          const std::uint32_t* perm, std::size_t n,
                                                          std::int64_t tz, std::uint64_t* keys,
                                                          std::uint32_t* vals) {
  SEGMINT_GRID_STRIDE(p, n) {
    const std::uint32_t r = perm[p];
    std::uint64_t key = ~0ull;
    if (in_set(k, c, r)) {
      switch (k) {
        case SetKind::days: key = ordered(detail::local_day(c.time[r], tz)); break;
        case SetKind::orders: key = c.order[r]; break;
        case SetKind::sessions: key = c.session[r]; break;
        default: key = c.category[r] != kNoKey ? c.category[r] : c.item[r]; break;
      }
    }
    keys[p] = key;
    vals[p] = r;
  }
}

/// One run of equal keys within a user's sorted segment.
struct Run {
  std::uint64_t count = 0;
  std::int64_t start = kNoTime, end = kNoLastTime, first_purchase = kNoTime;
  bool purchase = false, cancelled = false;
};

__device__ void flush(SetKind k, const Run& run, UserSummary& s, double& entropy_sum) {
  switch (k) {
    case SetKind::days: s.active_days += 1; break;
    case SetKind::orders:
      if (run.purchase && !run.cancelled) count_order(s, run.first_purchase);
      break;
    case SetKind::sessions:
      s.sessions += 1;
      s.session_seconds += run.end - run.start;
      if (run.first_purchase != kNoTime) count_order(s, run.first_purchase);
      break;
    default:
      s.distinct_categories += 1;
      entropy_sum += detail::entropy_term(run.count);
      break;
  }
}

__global__ void __launch_bounds__(kBlock) set_reduce_kernel(SetKind k, PassColumns c,
                                                            const std::uint64_t* keys,
                                                            const std::uint32_t* rows,
                                                            const int* off, std::size_t users,
                                                            UserSummary* out) {
  SEGMINT_GRID_STRIDE(u, users) {
    UserSummary s = out[u];
    double entropy_sum = 0.0;
    std::uint64_t total = 0;
    bool open = false;
    std::uint64_t key = 0;
    Run run;
    for (int i = off[u]; i < off[u + 1]; ++i) {
      const std::uint32_t r = rows[i];
      if (!in_set(k, c, r)) continue;
      if (!open || keys[i] != key) {
        if (open) flush(k, run, s, entropy_sum);
        open = true;
        key = keys[i];
        run = Run{};
      }
      const std::int64_t t = c.time[r];
      const std::uint8_t ty = c.type[r];
      run.count += 1;
      total += 1;
      run.start = min(run.start, t);
      run.end = max(run.end, t);
      run.purchase = run.purchase || ty == kPurchase;
      run.cancelled = run.cancelled || ty == kCancel;
      // Orders: time of the order's first purchase; sessions: first purchase without an order.
      const bool counts = k == SetKind::orders ? ty == kPurchase
                                               : ty == kPurchase && c.order[r] == kNoKey;
      if (counts) run.first_purchase = min(run.first_purchase, t);
    }
    if (open) flush(k, run, s, entropy_sum);
    if (k == SetKind::categories) s.category_entropy = detail::category_entropy(total, entropy_sum);
    out[u] = s;
  }
}

}  // namespace

void launch_user_keys(PassColumns c, std::size_t n, std::uint64_t* keys, std::uint32_t* vals,
                      cudaStream_t stream) {
  if (n == 0) return;
  user_keys_kernel<<<grid_for(n), kBlock, 0, stream>>>(c, n, keys, vals);
  SEGMINT_FEAT_CHECK(cudaGetLastError());
}

void launch_offsets(const std::uint64_t* sorted_users, std::size_t n, std::size_t users,
                    int* offsets, cudaStream_t stream) {
  offsets_kernel<<<grid_for(users + 1), kBlock, 0, stream>>>(sorted_users, n, users, offsets);
  SEGMINT_FEAT_CHECK(cudaGetLastError());
}

void launch_time_keys(PassColumns c, const std::uint32_t* rows, std::size_t n,
                      std::uint64_t* keys, std::uint32_t* vals, cudaStream_t stream) {
  if (n == 0) return;
  time_keys_kernel<<<grid_for(n), kBlock, 0, stream>>>(c, rows, n, keys, vals);
  SEGMINT_FEAT_CHECK(cudaGetLastError());
}

void launch_scalar(PassColumns c, const std::uint32_t* perm, const int* offsets, std::size_t users,
                   std::int64_t session_gap, std::int64_t tz_seconds, detail::UserSummary* out,
                   cudaStream_t stream) {
  if (users == 0) return;
  scalar_kernel<<<grid_for(users), kBlock, 0, stream>>>(c, perm, offsets, users, session_gap,
                                                         tz_seconds, out);
  SEGMINT_FEAT_CHECK(cudaGetLastError());
}

void launch_set_keys(SetKind kind, PassColumns c, const std::uint32_t* perm, std::size_t n,
                     std::int64_t tz_seconds, std::uint64_t* keys, std::uint32_t* vals,
                     cudaStream_t stream) {
  if (n == 0) return;
  set_keys_kernel<<<grid_for(n), kBlock, 0, stream>>>(kind, c, perm, n, tz_seconds, keys, vals);
  SEGMINT_FEAT_CHECK(cudaGetLastError());
}

void launch_set_reduce(SetKind kind, PassColumns c, const std::uint64_t* keys,
                       const std::uint32_t* rows, const int* offsets, std::size_t users,
                       detail::UserSummary* out, cudaStream_t stream) {
  if (users == 0) return;
  set_reduce_kernel<<<grid_for(users), kBlock, 0, stream>>>(kind, c, keys, rows, offsets, users,
                                                             out);
  SEGMINT_FEAT_CHECK(cudaGetLastError());
}

}  // namespace segmint::gpufeat
