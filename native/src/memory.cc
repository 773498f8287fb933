// The addon's own memory between calls, bounded and reported: the primitive
// caches (each an LRU of fixed capacity, see common.h), the two scratch buffers
// (oneDNN's scratchpad and the im2col patches), and oneDNN's internal primitive
// cache, which is switched off so that our caches' bounds are the real ones.
//   memoryUse()     → { caches: [{name, entries, capacity, bytes, hits, misses,
//                      evictions}], scratch: [{name, bytes}], onednnCacheCapacity }
//   releaseMemory() → empties every cache and frees both scratch buffers
#include <cstdlib>

#include "common.h"

namespace gk {

namespace {

std::vector<CacheBase *> &Registry() {
  static auto *r = new std::vector<CacheBase *>();  // never destroyed, see Engine()
  return *r;
}

// An evicted primitive is gone only if oneDNN keeps no copy: its own cache
// (1024 primitives by default) would otherwise hold every primitive we ever
// made, JIT code and all. DNNL_PRIMITIVE_CACHE_CAPACITY set by the user wins.
void SwitchOffOneDnnCache() {
  if (std::getenv("DNNL_PRIMITIVE_CACHE_CAPACITY") == nullptr) dnnl::set_primitive_cache_capacity(0);
}

Napi::Value MemoryUse(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  Napi::Object out = Napi::Object::New(env);
  Napi::Array caches = Napi::Array::New(env);
  uint32_t i = 0;
  for (const CacheBase *c : Registry()) {
    CacheUse u = c->Use();
    Napi::Object o = Napi::Object::New(env);
    o.Set("name", u.name);
    o.Set("entries", static_cast<double>(u.entries));
    o.Set("capacity", static_cast<double>(u.capacity));
    o.Set("bytes", static_cast<double>(u.bytes));
    o.Set("hits", static_cast<double>(u.hits));
    o.Set("misses", static_cast<double>(u.misses));
    o.Set("evictions", static_cast<double>(u.evictions));
    caches.Set(i++, o);
  }
  out.Set("caches", caches);
  Napi::Array scratch = Napi::Array::New(env);
  i = 0;
  for (Scratch *s : {&OneDnnScratch(), &Im2colScratch()}) {
    Napi::Object o = Napi::Object::New(env);
    o.Set("name", s->Name());
    o.Set("bytes", static_cast<double>(s->Bytes()));
    scratch.Set(i++, o);
  }
  out.Set("scratch", scratch);
  out.Set("onednnCacheCapacity", dnnl::get_primitive_cache_capacity());
  return out;
}

Napi::Value ReleaseMemory(const Napi::CallbackInfo &info) {
  for (CacheBase *c : Registry()) c->Clear();
  OneDnnScratch().Release();
  Im2colScratch().Release();
  return info.Env().Undefined();
}

}  // namespace

void RegisterCache(CacheBase *cache) { Registry().push_back(cache); }

dnnl::primitive_attr UserScratchpad() {
  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  return attr;
}

Scratch::Scratch(std::string name) : name_(std::move(name)) {}

void *Scratch::Get(size_t bytes) {
  if (bytes > windowMax_) windowMax_ = bytes;
  if (++calls_ >= kWindow) {
    // The window's largest request was windowMax_; holding more than twice
    // that is holding memory for a shape that no longer comes.
    if (capacity_ > 2 * windowMax_) Release();
    calls_ = 0;
    windowMax_ = bytes;
  }
  if (bytes > capacity_) {
    Release();
    constexpr size_t kAlign = 64;  // a cache line, and AVX-512's vector width
    raw_.reset(new char[bytes + kAlign]);
    auto p = reinterpret_cast<uintptr_t>(raw_.get());
    aligned_ = reinterpret_cast<char *>((p + kAlign - 1) & ~(kAlign - 1));
    capacity_ = bytes;
  }
  return aligned_;
}

void Scratch::Release() {
  raw_.reset();
  aligned_ = nullptr;
  capacity_ = 0;
}

Scratch &OneDnnScratch() {
  static auto *s = new Scratch("onednnScratchpad");  // never destroyed, see Engine()
  return *s;
}

Scratch &Im2colScratch() {
  static auto *s = new Scratch("im2col");  // never destroyed, see Engine()
  return *s;
}

void InitMemory(Napi::Env env, Napi::Object exports) {
  SwitchOffOneDnnCache();
  exports.Set("memoryUse", Napi::Function::New(env, MemoryUse));
  exports.Set("releaseMemory", Napi::Function::New(env, ReleaseMemory));
}

}  // namespace gk
