// Primitive: a cached oneDNN primitive bound to the caller's buffers per call,
// with the weight reorder convolutions need when oneDNN picks a blocked layout,
// and the shared scratchpad (memory.cc) handed to both.
#include <algorithm>
#include <stdexcept>

#include "common.h"

namespace gk {

using dnnl::memory;

void Primitive::Bind(int arg, const memory::desc &md) {
  slots_.push_back({arg, memory(md, Engine(), DNNL_MEMORY_NONE)});
}

void Primitive::BindWeights(int arg, const memory::desc &chosen, const memory::desc &user,
                            Flow flow) {
  weiArg_ = arg;
  flow_ = flow;
  user_ = memory(user, Engine(), DNNL_MEMORY_NONE);
  reorderWeights_ = chosen != user;
  if (reorderWeights_) {
    wei_ = memory(chosen, Engine());  // oneDNN-owned buffer for the blocked weights
    const memory &from = flow == Flow::kOut ? wei_ : user_;
    const memory &to = flow == Flow::kOut ? user_ : wei_;
    dnnl::reorder::primitive_desc pd(Engine(), from.get_desc(), Engine(), to.get_desc(),
                                     UserScratchpad());
    reorderScratchpadBytes_ = pd.scratchpad_desc().get_size();
    reorder_ = dnnl::reorder(pd);
  } else {
    wei_ = memory(chosen, Engine(), DNNL_MEMORY_NONE);
  }
}

size_t Primitive::Bytes() const {
  return reorderWeights_ ? wei_.get_desc().get_size() : 0;
}

// A memory object over the shared scratchpad, made once per primitive and
// pointed at the buffer on each run (the buffer may have moved since).
static void AddScratchpad(std::unordered_map<int, memory> &args, memory &pad, size_t bytes, void *buf) {
  if (bytes == 0) return;
  if (!pad) {
    memory::desc md({static_cast<memory::dim>(bytes)}, memory::data_type::u8, memory::format_tag::x);
    pad = memory(md, Engine(), DNNL_MEMORY_NONE);
  }
  pad.set_data_handle(buf);
  args[DNNL_ARG_SCRATCHPAD] = pad;
}

void Primitive::Run(std::initializer_list<std::pair<int, const float *>> bufs) {
  std::unordered_map<int, memory> args;
  // oneDNN takes void*; it writes only through the output arguments.
  for (const auto &[arg, data] : bufs) {
    if (data == nullptr) continue;
    void *p = const_cast<float *>(data);
    if (arg == weiArg_) {
      user_.set_data_handle(p);
      if (!reorderWeights_) wei_.set_data_handle(p);
      args.emplace(arg, wei_);
      continue;
    }
    for (Slot &s : slots_) {
      if (s.arg != arg) continue;
      s.mem.set_data_handle(p);
      args.emplace(arg, s.mem);
      break;
    }
  }
  // A bound argument left out would run on the previous call's (maybe freed)
  // buffer: a bug in the caller, never a user error.
  if (args.size() != slots_.size() + (weiArg_ != 0 ? 1 : 0))
    throw std::logic_error("gankit: Primitive::Run got other arguments than were bound");
  // One scratchpad for the reorder and the primitive, which run one after the other.
  const size_t need = std::max(scratchpadBytes, reorderWeights_ ? reorderScratchpadBytes_ : 0);
  void *scratchpad = need > 0 ? OneDnnScratch().Get(need) : nullptr;
  AddScratchpad(args, pad_, scratchpadBytes, scratchpad);
  std::unordered_map<int, memory> reorderArgs;
  if (reorderWeights_) {
    reorderArgs = flow_ == Flow::kIn ? std::unordered_map<int, memory>{{DNNL_ARG_FROM, user_}, {DNNL_ARG_TO, wei_}}
                                     : std::unordered_map<int, memory>{{DNNL_ARG_FROM, wei_}, {DNNL_ARG_TO, user_}};
    AddScratchpad(reorderArgs, reorderPad_, reorderScratchpadBytes_, scratchpad);
  }
  if (reorderWeights_ && flow_ == Flow::kIn) reorder_.execute(Stream(), reorderArgs);
  prim.execute(Stream(), args);
  if (reorderWeights_ && flow_ == Flow::kOut) reorder_.execute(Stream(), reorderArgs);
  Stream().wait();
}

}  // namespace gk
