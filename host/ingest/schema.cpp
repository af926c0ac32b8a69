// The preset table and the header matching that turns it, plus options, into a Plan.
#include "ingest/schema.hpp"

#include <algorithm>
#include <cctype>

#include "segmint/error.hpp"

namespace segmint::ingest {
namespace {

// A field and the header names that may hold it ('|' separates alternatives).
struct FieldCols {
  const char* field;
  const char* columns;
};

struct Preset {
  const char* name;
  std::vector<FieldCols> fields;
  std::vector<std::pair<const char*, EventType>> types;
  bool cancel_prefix_order = false;
  bool strip_dot_zero_user = false;
};

const std::vector<Preset>& presets() {
  static const std::vector<Preset> kPresets = {
      {"rees46",
       {{"time", "event_time"}, {"type", "event_type"}, {"item", "product_id"},
        {"category", "category_id"}, {"price", "price"}, {"user", "user_id"},
        {"session", "user_session"}},
       {},
       false,
       false},
      {"online-retail",
       {{"order", "Invoice|InvoiceNo"}, {"item", "StockCode"}, {"quantity", "Quantity"},
        {"time", "InvoiceDate"}, {"price", "Price|UnitPrice"}, {"user", "Customer ID|CustomerID"}},
       {},
       true,
       true},
      {"taobao",
       {{"user", "user_id"}, {"item", "item_id"}, {"category", "category_id"},
        {"type", "behavior_type"}, {"time", "timestamp"}},
       {{"pv", EventType::view}, {"cart", EventType::cart}, {"fav", EventType::other},
        {"buy", EventType::purchase}},
       false,
       false},
      {"retailrocket",
       {{"time", "timestamp"}, {"user", "visitorid"}, {"type", "event"}, {"item", "itemid"},
        {"order", "transactionid"}},
       {{"view", EventType::view}, {"addtocart", EventType::cart},
        {"transaction", EventType::purchase}},
       false,
       false},
  };
  return kPresets;
}

const char* const kFields[] = {"user", "time", "type", "amount", "quantity", "price",
                               "item", "category", "session", "order"};

std::string lower_trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Index of the first header column matching one of the '|' alternatives, or -1.
int find_column(const std::vector<std::string>& header, std::string_view alternatives) {
  std::size_t pos = 0;
  while (pos <= alternatives.size()) {
    std::size_t bar = alternatives.find('|', pos);
    if (bar == std::string_view::npos) bar = alternatives.size();
    std::string want = lower_trim(alternatives.substr(pos, bar - pos));
    for (std::size_t i = 0; i < header.size(); ++i) {
      if (lower_trim(header[i]) == want) return static_cast<int>(i);
    }
    pos = bar + 1;
  }
  return -1;
}

int* field_slot(Plan& p, std::string_view field) {
  if (field == "user") return &p.user;
  if (field == "time") return &p.time;
  if (field == "type") return &p.type;
  if (field == "amount") return &p.amount;
  if (field == "quantity") return &p.quantity;
  if (field == "price") return &p.price;
  if (field == "item") return &p.item;
  if (field == "category") return &p.category;
  if (field == "session") return &p.session;
  if (field == "order") return &p.order;
  return nullptr;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Taobao's UserBehavior.csv ships without a header: five columns, digits and a behaviour word.
bool looks_like_headerless_taobao(const std::vector<std::string>& f) {
  if (f.size() != 5) return false;
  const std::string& b = f[3];
  return all_digits(f[0]) && all_digits(f[1]) && all_digits(f[2]) && all_digits(f[4]) &&
         (b == "pv" || b == "cart" || b == "fav" || b == "buy");
}

const Preset* find_preset(const std::string& name) {
  for (const auto& p : presets()) {
    if (name == p.name) return &p;
  }
  return nullptr;
}

const Preset* detect(const std::vector<std::string>& header) {
  for (const auto& p : presets()) {
    bool all = std::all_of(p.fields.begin(), p.fields.end(), [&](const FieldCols& f) {
      return find_column(header, f.columns) >= 0;
    });
    if (all) return &p;
  }
  return nullptr;
}

}  // namespace

EventType canonical_type_or_throw(const std::string& name) {
  auto t = parse_event_type(name);
  if (!t) {
    throw UsageError("unknown event type '" + name +
                     "' (canonical types: view, cart, remove_from_cart, purchase, cancel, "
                     "email_send, email_open, email_click, other)");
  }
  return *t;
}

EventType Plan::map_type(std::string_view raw) const noexcept {
  if (type < 0) return EventType::purchase;
  for (const auto& [name, t] : types) {
    if (name == raw) return t;
  }
  if (auto t = parse_event_type(raw)) return *t;
  return EventType::other;
}

Plan make_plan(const std::vector<std::string>& first, const IngestOptions& options,
               const std::string& file) {
  Plan plan;
  const std::string& schema = options.schema;
  const Preset* preset = nullptr;
  if (schema == "auto") {
    preset = detect(first);
    if (!preset && looks_like_headerless_taobao(first)) preset = find_preset("taobao");
    if (!preset && options.column_map.empty()) {
      throw InputError(file, 1,
                       "cannot detect the schema from the header; use --schema "
                       "rees46|online-retail|taobao|retailrocket or --map");
    }
  } else if (schema != "custom") {
    preset = find_preset(schema);
    if (!preset) {
      throw UsageError("unknown schema '" + schema +
                       "' (auto, rees46, online-retail, taobao, retailrocket, custom)");
    }
  } else if (options.column_map.empty()) {
    throw UsageError("--schema custom needs --map user=COLUMN,time=COLUMN,...");
  }
  plan.schema = preset ? preset->name : "custom";
  plan.columns = first;
  if (preset && preset == find_preset("taobao") && looks_like_headerless_taobao(first) &&
      find_column(first, "user_id") < 0) {
    plan.has_header = false;
    plan.columns = {"user_id", "item_id", "category_id", "behavior_type", "timestamp"};
  }
  if (preset) {
    for (const auto& f : preset->fields) {
      int col = find_column(plan.columns, f.columns);
      bool overridden = std::any_of(options.column_map.begin(), options.column_map.end(),
                                    [&](const auto& m) { return m.first == f.field; });
      if (col < 0 && !overridden) {
        std::string name(f.columns);
        std::replace(name.begin(), name.end(), '|', '/');
        throw InputError(file, 1, "missing column '" + name + "' required by schema " + plan.schema);
      }
      *field_slot(plan, f.field) = col;
    }
    for (const auto& [raw, t] : preset->types) plan.types.emplace_back(raw, t);
    plan.cancel_prefix_order = preset->cancel_prefix_order;
    plan.strip_dot_zero_user = preset->strip_dot_zero_user;
  }
  for (const auto& [field, column] : options.column_map) {
    int* slot = field_slot(plan, field);
    if (!slot) {
      std::string known;
      for (const char* k : kFields) known += std::string(known.empty() ? "" : ", ") + k;
      throw UsageError("--map: unknown field '" + field + "' (fields: " + known + ")");
    }
    int col = find_column(plan.columns, column);
    if (col < 0) throw InputError(file, 1, "missing column '" + column + "' (--map " + field + ")");
    *slot = col;
  }
  if (plan.user < 0) throw InputError(file, 1, "no user column (--map user=COLUMN)");
  if (plan.time < 0) throw InputError(file, 1, "no time column (--map time=COLUMN)");
  // Explicit type mappings win over the preset's: put them first.
  std::vector<std::pair<std::string, EventType>> types;
  for (const auto& [raw, canonical] : options.type_map) {
    types.emplace_back(raw, canonical_type_or_throw(canonical));
  }
  types.insert(types.end(), plan.types.begin(), plan.types.end());
  plan.types = std::move(types);
  if (plan.amount >= 0) plan.amount_rule = AmountRule::column;
  else if (plan.quantity >= 0 && plan.price >= 0) plan.amount_rule = AmountRule::quantity_times_price;
  else if (plan.price >= 0) plan.amount_rule = AmountRule::price_on_purchase;
  int need = std::max({plan.user, plan.time, plan.type});
  if (plan.amount_rule == AmountRule::column) need = std::max(need, plan.amount);
  if (plan.amount_rule == AmountRule::quantity_times_price) need = std::max({need, plan.quantity, plan.price});
  if (plan.amount_rule == AmountRule::price_on_purchase) need = std::max(need, plan.price);
  plan.min_fields = static_cast<std::size_t>(need) + 1;
  return plan;
}

}  // namespace segmint::ingest
