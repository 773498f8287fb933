// Shared plumbing for the gankit native backend: argument checking that turns
// bad calls into JS errors of the form "Expected X for name but received Y",
// the one oneDNN engine/stream, and a shape-keyed cache of primitives.
#pragma once

#include <napi.h>
#include <oneapi/dnnl/dnnl.hpp>

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <list>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace gk {

// ---- argument access -------------------------------------------------------
// Every tensor crosses the boundary as the Float32Array tfjs-backend-cpu already
// stores it in; we read its data pointer and never copy.

inline const char *TypeName(const Napi::Value &v) {
  if (v.IsTypedArray()) {
    switch (v.As<Napi::TypedArray>().TypedArrayType()) {
      case napi_float32_array: return "Float32Array";
      case napi_int32_array: return "Int32Array";
      case napi_uint8_array: return "Uint8Array";
      default: return "another TypedArray";
    }
  }
  if (v.IsNumber()) return "number";
  if (v.IsBoolean()) return "boolean";
  if (v.IsString()) return "string";
  if (v.IsArray()) return "Array";
  if (v.IsUndefined()) return "undefined";
  if (v.IsNull()) return "null";
  return "object";
}

[[noreturn]] inline void Fail(const Napi::Env &env, const std::string &expected,
                              const std::string &name, const Napi::Value &got) {
  throw Napi::TypeError::New(env, "Expected " + expected + " for " + name +
                                      " but received " + TypeName(got));
}

struct F32 {
  float *data;
  size_t length;
};

inline F32 ArgF32(const Napi::CallbackInfo &info, size_t i, const char *name) {
  Napi::Value v = info[i];
  if (!v.IsTypedArray() ||
      v.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array)
    Fail(info.Env(), "a Float32Array", name, v);
  auto a = v.As<Napi::Float32Array>();
  return {a.Data(), a.ElementLength()};
}

// Optional Float32Array: null/undefined means "absent".
inline F32 ArgF32Opt(const Napi::CallbackInfo &info, size_t i, const char *name) {
  Napi::Value v = info[i];
  if (v.IsUndefined() || v.IsNull()) return {nullptr, 0};
  return ArgF32(info, i, name);
}

inline uint8_t *ArgU8(const Napi::CallbackInfo &info, size_t i, const char *name,
                      size_t *len) {
  Napi::Value v = info[i];
  if (!v.IsTypedArray() ||
      v.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array)
    Fail(info.Env(), "a Uint8Array", name, v);
  auto a = v.As<Napi::Uint8Array>();
  *len = a.ElementLength();
  return a.Data();
}

inline int64_t ArgInt(const Napi::CallbackInfo &info, size_t i, const char *name) {
  Napi::Value v = info[i];
  if (!v.IsNumber()) Fail(info.Env(), "an integer", name, v);
  return v.As<Napi::Number>().Int64Value();
}

inline double ArgNum(const Napi::CallbackInfo &info, size_t i, const char *name) {
  Napi::Value v = info[i];
  if (!v.IsNumber()) Fail(info.Env(), "a number", name, v);
  return v.As<Napi::Number>().DoubleValue();
}

// Shapes/strides arrive as Int32Array (cheap to read, no per-element N-API calls).
inline std::vector<int64_t> ArgDims(const Napi::CallbackInfo &info, size_t i,
                                    const char *name) {
  Napi::Value v = info[i];
  if (!v.IsTypedArray() ||
      v.As<Napi::TypedArray>().TypedArrayType() != napi_int32_array)
    Fail(info.Env(), "an Int32Array", name, v);
  auto a = v.As<Napi::Int32Array>();
  return std::vector<int64_t>(a.Data(), a.Data() + a.ElementLength());
}

inline void Check(const Napi::Env &env, bool ok, const std::string &msg) {
  if (!ok) throw Napi::RangeError::New(env, msg);
}

// ---- oneDNN singletons -----------------------------------------------------
dnnl::engine &Engine();
dnnl::stream &Stream();

// ---- bounded native memory -------------------------------------------------
// Every cache and scratch buffer the addon keeps between calls is bounded and
// reports its use (memory.cc: memoryUse(), releaseMemory()), so a long run's
// native memory is as flat as its tensor count. Primitive creation (JIT code
// generation) costs 0.1–10 ms, so primitives are cached by a key made of the op
// kind and every integer that determines the primitive; a training step reuses
// the same few dozen shapes.
using Key = std::vector<int64_t>;
struct KeyHash {
  size_t operator()(const Key &k) const noexcept {
    size_t h = 1469598103934665603ull;
    for (int64_t x : k) h = (h ^ static_cast<size_t>(x)) * 1099511628211ull;
    return h;
  }
};

// What memoryUse() reports of one cache.
struct CacheUse {
  std::string name;
  size_t entries, capacity, bytes;
  uint64_t hits, misses, evictions;
};

// The caches register themselves here (memory.cc) so one call reports and
// clears them all.
class CacheBase {
 public:
  virtual ~CacheBase() = default;
  virtual CacheUse Use() const = 0;
  virtual void Clear() = 0;
};
void RegisterCache(CacheBase *cache);

// A least-recently-used cache of at most `capacity` entries. Entry must have
// `size_t Bytes() const` (the memory the entry owns, for the report). The
// reference Get returns stays valid until the next Get on the same cache (an
// insertion may evict any entry but the one just made).
template <typename Entry>
class Cache : public CacheBase {
 public:
  Cache(std::string name, size_t capacity) : name_(std::move(name)), capacity_(capacity) {
    RegisterCache(this);
  }

  Entry &Get(const Key &key, const std::function<std::unique_ptr<Entry>()> &make) {
    auto it = map_.find(key);
    if (it != map_.end()) {
      ++hits_;
      lru_.splice(lru_.begin(), lru_, it->second);  // now the most recently used
      return *it->second->second;
    }
    ++misses_;
    auto e = make();  // may throw: then nothing has changed
    bytes_ += e->Bytes();
    lru_.emplace_front(key, std::move(e));
    map_.emplace(key, lru_.begin());
    while (lru_.size() > capacity_) {
      bytes_ -= lru_.back().second->Bytes();
      map_.erase(lru_.back().first);
      lru_.pop_back();
      ++evictions_;
    }
    return *lru_.front().second;
  }

  CacheUse Use() const override {
    return {name_, lru_.size(), capacity_, bytes_, hits_, misses_, evictions_};
  }
  void Clear() override {
    map_.clear();
    lru_.clear();
    bytes_ = 0;
  }

 private:
  using Node = std::pair<Key, std::unique_ptr<Entry>>;
  std::string name_;
  size_t capacity_;
  size_t bytes_ = 0;
  uint64_t hits_ = 0, misses_ = 0, evictions_ = 0;
  std::list<Node> lru_;  // front: most recently used
  std::unordered_map<Key, typename std::list<Node>::iterator, KeyHash> map_;
};

// A buffer reused across calls whose size follows what recent calls need: it
// grows to the largest request, and at the end of every window of kWindow
// calls it is released if it holds more than twice the largest request of
// that window, so a one-off big shape (e.g. an evaluation batch) holds its
// buffer for two windows at most, not for the rest of the run. A training step
// makes from a few calls (im2col) to a few dozen (the scratchpad), so a window
// spans several to tens of steps. Contents do not survive between calls.
class Scratch {
 public:
  explicit Scratch(std::string name);
  // At least `bytes` bytes, 64-byte aligned; valid until the next Get.
  void *Get(size_t bytes);
  size_t Bytes() const { return capacity_; }
  const std::string &Name() const { return name_; }
  void Release();

  static constexpr int kWindow = 256;

 private:
  std::string name_;
  std::unique_ptr<char[]> raw_;
  char *aligned_ = nullptr;
  size_t capacity_ = 0, windowMax_ = 0;
  int calls_ = 0;
};
// The two scratch buffers: oneDNN's scratchpad (every primitive runs in
// scratchpad_mode::user on this one buffer; primitives run one at a time and
// wait, so sharing is safe) and the im2col patch matrix (conv_im2col.cc).
Scratch &OneDnnScratch();
Scratch &Im2colScratch();
// Attributes every cached primitive is created with: the scratchpad is ours.
dnnl::primitive_attr UserScratchpad();

// One cached oneDNN primitive and the memory objects it runs on (the entry
// type of every primitive cache). Each memory object is made once without a
// buffer (DNNL_MEMORY_NONE) and pointed at the caller's array on each Run, so a
// call copies nothing.
//
// Weights may be declared with the layout oneDNN chose ("any") next to the
// caller's (e.g. tfjs's HWIO filter). When the two differ, the entry owns a
// buffer in oneDNN's layout and Run reorders the caller's weights into it
// before the primitive (Flow::kIn, weights read) or the result out of it
// afterwards (Flow::kOut, weight gradients written).
struct Primitive {
  enum class Flow { kIn, kOut };

  dnnl::primitive prim;
  std::string impl;  // oneDNN's implementation name, when the owner records it
  // The scratchpad `prim` needs (its primitive_desc's scratchpad_desc()); the
  // primitive must be created with UserScratchpad() attributes.
  size_t scratchpadBytes = 0;

  // Memory the entry owns: the weights in oneDNN's layout, when reordered.
  // (The JIT code is not counted: oneDNN does not say how large it is.)
  size_t Bytes() const;

  // An argument whose buffer the caller hands to every Run.
  void Bind(int arg, const dnnl::memory::desc &md);
  // The weights argument, in oneDNN's `chosen` layout; the caller's buffer has
  // layout `user`. At most one per primitive.
  void BindWeights(int arg, const dnnl::memory::desc &chosen, const dnnl::memory::desc &user,
                   Flow flow);
  // Points every bound argument at its buffer, runs (with the weight reorder,
  // if any) and waits. `bufs` pairs DNNL_ARG_* with the caller's array; a null
  // array means "not an argument of this primitive" (e.g. an absent bias), and
  // every bound argument must be given. oneDNN only reads the input arrays.
  void Run(std::initializer_list<std::pair<int, const float *>> bufs);

 private:
  struct Slot {
    int arg;
    dnnl::memory mem;
  };
  std::vector<Slot> slots_;
  int weiArg_ = 0;  // 0: no weights declared (no DNNL_ARG_* is 0)
  dnnl::memory wei_, user_;
  bool reorderWeights_ = false;
  Flow flow_ = Flow::kIn;
  dnnl::reorder reorder_;
  size_t reorderScratchpadBytes_ = 0;
  dnnl::memory pad_, reorderPad_;  // views of the shared scratchpad, made on first use
};

// Below this many elements an element-wise loop runs on one thread. These
// loops are memory-bound: one core streams a 4 MB tensor in ~100 µs, a second
// thread saves little of that, while waking the (passively waiting) team costs
// ~10 µs and, when another process holds the other core, far more. Measured on
// DCGAN-28's 0.4–0.8 M-element tensors: 60–75 µs on one thread, 100–150 µs on
// two with the second core busy.
constexpr int64_t kParallelGrain = 1 << 20;

// ---- module registration -----------------------------------------------------
void InitMatMul(Napi::Env env, Napi::Object exports);
void InitConv(Napi::Env env, Napi::Object exports);
void InitUnary(Napi::Env env, Napi::Object exports);
void InitBinary(Napi::Env env, Napi::Object exports);
void InitReduce(Napi::Env env, Napi::Object exports);
void InitTranspose(Napi::Env env, Napi::Object exports);
void InitBatchNorm(Napi::Env env, Napi::Object exports);
void InitOptim(Napi::Env env, Napi::Object exports);
void InitMemory(Napi::Env env, Napi::Object exports);

}  // namespace gk

namespace gk {
// Activations tfjs fuses into _FusedMatMul / FusedConv2D, in the order the TS
// side encodes them (ActivationCode in src/backend/kernels/activation.ts, keyed
// by tfjs's lower-case activation names); test/backend/op-codes.test.ts checks
// that both sides agree.
enum Activation : int { kLinear = 0, kRelu = 1, kRelu6 = 2, kLeakyRelu = 3, kElu = 4, kSigmoid = 5 };
// In place, multithreaded for large n.
void ApplyActivation(float *y, int64_t n, int act, float alpha);
// out[batch, M, N] = op(a)[batchA, M, K] · op(b)[batchB, K, N] (+ bias, activation)
// through a cached oneDNN matmul primitive; row-major, op = transpose when set.
// biasKind: 0 none, 1 length N, 2 scalar. batchA/batchB equal or 1.
void Gemm(const float *a, const float *b, float *out, int64_t batchA, int64_t batchB, int64_t M,
          int64_t K, int64_t N, bool transA, bool transB, const float *bias, int biasKind, int act,
          float alpha);
}  // namespace gk
