// One JSON object of a targets file being read: every accessor checks the type and range of its field and
// throws InputError "FILE: PATH.FIELD: what is wrong", and the object remembers which keys were asked for, so
// that keys nobody asked for (typos) can be reported. The common parser and each pipeline read the same
// target object through one Fields, so an unknown key is one that neither asked for.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace voxperf {

// A JSON file's document. Throws InputError "FILE: can not read the WHAT" or "FILE: not valid JSON (...)".
nlohmann::json read_json_file(const std::filesystem::path& path, const std::string& what);

class Fields {
 public:
  Fields(const nlohmann::json& object, std::string path, const std::filesystem::path& file);

  [[noreturn]] void fail(const std::string& key, const std::string& what) const;

  const nlohmann::json* find(const std::string& key);
  const nlohmann::json& require(const std::string& key);
  bool has(const std::string& key) const { return object_.contains(key); }  // without asking for it

  std::optional<std::string> string(const std::string& key, bool required = false);
  std::optional<bool> boolean(const std::string& key);
  std::optional<long long> integer(const std::string& key, long long low, long long high);
  std::vector<long long> integers(const std::string& key, long long low, long long high);  // required, no repeats
  std::vector<std::string> strings(const std::string& key);                                // required, no repeats
  std::vector<long long> integer_list(const std::string& key, long long low, long long high);  // required, repeats ok
  std::optional<double> number(const std::string& key, double low, double high);  // integer or not
  std::vector<double> numbers(const std::string& key, double low, double high);   // required, no repeats

  // An existing file, relative paths resolved against `base` (the targets file's folder).
  std::filesystem::path existing_file(const std::string& key, const std::string& value,
                                      const std::filesystem::path& base);

  // The keys of the object that no accessor asked for.
  std::vector<std::string> unknown() const;
  void reject_unknown() const;  // fails on the first of unknown()

  const std::string& path() const { return path_; }
  const std::filesystem::path& file() const { return file_; }

 private:
  long long checked_integer(const nlohmann::json& value, const std::string& key, long long low, long long high) const;
  double checked_number(const nlohmann::json& value, const std::string& key, double low, double high) const;

  const nlohmann::json& object_;
  std::string path_;
  std::filesystem::path file_;
  std::set<std::string> asked_;
};

}  // namespace voxperf
