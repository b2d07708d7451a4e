#include "harness/targets/fields.h"

#include <algorithm>
#include <fstream>

#include "harness/input_error.h"

namespace voxperf {

using json = nlohmann::json;
namespace fs = std::filesystem;

json read_json_file(const fs::path& path, const std::string& what) {
  std::ifstream in(path);
  if (!in) throw InputError(path.string() + ": can not read the " + what);
  try {
    return json::parse(in);
  } catch (const json::parse_error& error) {
    throw InputError(path.string() + ": not valid JSON (" + error.what() + ")");
  }
}

Fields::Fields(const json& object, std::string path, const fs::path& file)
    : object_(object), path_(std::move(path)), file_(file) {}

void Fields::fail(const std::string& key, const std::string& what) const {
  throw InputError(file_.string() + ": " + path_ + (key.empty() ? "" : "." + key) + ": " + what);
}

const json* Fields::find(const std::string& key) {
  asked_.insert(key);
  if (!object_.is_object()) return nullptr;
  auto it = object_.find(key);
  return it == object_.end() ? nullptr : &*it;
}

const json& Fields::require(const std::string& key) {
  const json* value = find(key);
  if (value == nullptr) fail(key, "missing (required)");
  return *value;
}

std::optional<std::string> Fields::string(const std::string& key, bool required) {
  const json* value = required ? &require(key) : find(key);
  if (value == nullptr) return std::nullopt;
  if (!value->is_string()) fail(key, "must be a string, not " + std::string(value->type_name()));
  return value->get<std::string>();
}

std::optional<bool> Fields::boolean(const std::string& key) {
  const json* value = find(key);
  if (value == nullptr) return std::nullopt;
  if (!value->is_boolean()) fail(key, "must be true or false, not " + std::string(value->type_name()));
  return value->get<bool>();
}

std::optional<long long> Fields::integer(const std::string& key, long long low, long long high) {
  const json* value = find(key);
  if (value == nullptr) return std::nullopt;
  return checked_integer(*value, key, low, high);
}

std::vector<long long> Fields::integers(const std::string& key, long long low, long long high) {
  const json& value = require(key);
  if (!value.is_array() || value.empty()) fail(key, "must be a non-empty array of integers");
  std::vector<long long> out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const long long n = checked_integer(value[i], key + "[" + std::to_string(i) + "]", low, high);
    if (std::find(out.begin(), out.end(), n) != out.end()) fail(key, std::to_string(n) + " is listed twice");
    out.push_back(n);
  }
  return out;
}

std::vector<long long> Fields::integer_list(const std::string& key, long long low, long long high) {
  const json& value = require(key);
  if (!value.is_array() || value.empty()) fail(key, "must be a non-empty array of integers");
  std::vector<long long> out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    out.push_back(checked_integer(value[i], key + "[" + std::to_string(i) + "]", low, high));
  }
  return out;
}

std::vector<std::string> Fields::strings(const std::string& key) {
  const json& value = require(key);
  if (!value.is_array() || value.empty()) fail(key, "must be a non-empty array of strings");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (!value[i].is_string()) fail(key + "[" + std::to_string(i) + "]", "must be a string");
    const auto text = value[i].get<std::string>();
    if (std::find(out.begin(), out.end(), text) != out.end()) fail(key, "'" + text + "' is listed twice");
    out.push_back(text);
  }
  return out;
}

std::optional<double> Fields::number(const std::string& key, double low, double high) {
  const json* value = find(key);
  if (value == nullptr) return std::nullopt;
  return checked_number(*value, key, low, high);
}

std::vector<double> Fields::numbers(const std::string& key, double low, double high) {
  const json& value = require(key);
  if (!value.is_array() || value.empty()) fail(key, "must be a non-empty array of numbers");
  std::vector<double> out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const double n = checked_number(value[i], key + "[" + std::to_string(i) + "]", low, high);
    if (std::find(out.begin(), out.end(), n) != out.end()) fail(key, value[i].dump() + " is listed twice");
    out.push_back(n);
  }
  return out;
}

fs::path Fields::existing_file(const std::string& key, const std::string& value, const fs::path& base) {
  fs::path path = value;
  if (path.is_relative()) path = (base / path).lexically_normal();
  if (!fs::is_regular_file(path)) fail(key, "file " + path.string() + " does not exist");
  return path;
}

std::vector<std::string> Fields::unknown() const {
  std::vector<std::string> keys;
  if (!object_.is_object()) return keys;
  for (auto it = object_.begin(); it != object_.end(); ++it) {
    if (!asked_.count(it.key())) keys.push_back(it.key());
  }
  return keys;
}

void Fields::reject_unknown() const {
  const auto keys = unknown();
  if (!keys.empty()) fail(keys.front(), "unknown field (misspelt?)");
}

long long Fields::checked_integer(const json& value, const std::string& key, long long low, long long high) const {
  if (!value.is_number_integer()) fail(key, "must be an integer, not " + std::string(value.type_name()));
  const long long n = value.get<long long>();
  if (n < low || n > high) {
    fail(key, std::to_string(n) + " is out of range " + std::to_string(low) + ".." + std::to_string(high));
  }
  return n;
}

double Fields::checked_number(const json& value, const std::string& key, double low, double high) const {
  if (!value.is_number()) fail(key, "must be a number, not " + std::string(value.type_name()));
  const double n = value.get<double>();
  if (!(n >= low && n <= high)) {
    fail(key, value.dump() + " is out of range " + json(low).dump() + ".." + json(high).dump());
  }
  return n;
}

}  // namespace voxperf
