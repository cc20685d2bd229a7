"""The Python package (python/tl, docs/python.md) without a GPU: compile,
report, ABI and C launchers; launches against the stand-in driver of the
Runtime tests (its libcuda.so.1, loaded first, so that libtlrt finds it):
arguments packed per the ABI, tensor maps encoded, every error a Python
exception. Run by test/Python/python.test; argv[1] is the repository root,
argv[2] the fake libcuda.so.1."""
import ctypes
import os
import sys

root, fake = sys.argv[1], sys.argv[2]
fakecuda = ctypes.CDLL(fake, mode=ctypes.RTLD_GLOBAL)
fakecuda.fakeCudaCalls.argtypes = [ctypes.c_char_p]
sys.path.insert(0, os.path.join(root, "python"))
import tl  # noqa: E402

src = open(os.path.join(root, "examples", "tile_copy.mlir")).read()

print("== compile")
c = tl.compile(src, name="tile_copy.mlir", format="ptx", report=True)
print("ok", c.ok, "binaries", [(b.name, b.format, b.kernels) for b in c.binaries])
print("ptx has .entry copy64(:", b".entry copy64(" in c.binaries[0].data)
print("report lines", len(c.report.splitlines()), c.report.splitlines()[0][:66])

print("== tma")
tma = (src.replace('{eviction_policy = "evict_first"}', '{annotations = {use_tma = true}}')
       .replace('"tl.copy"(%S, %b) :', '"tl.copy"(%S, %b) {annotations = {use_tma = true}} :'))
t = tl.compile(tma, name="tile_copy.mlir", format="ptx", report=True)
print("report", [l.split(": ")[2].split(",")[0] for l in t.report.splitlines()])
k = t.kernel("copy64")
print("params", [p["kind"] for p in k.params])
print("user params", [p["type"] for p in k.user_params])

print("== emit_c")
csrc, hdr = c.emit_c("tile_copy.h")
print("header declares", [l.split("(")[0] for l in hdr.splitlines() if l.startswith("int tl_launch")])

print("== errors")
try:
    tl.compile('func.func @f() {\n  "tl.copy"() : () -> ()\n  return\n}\n', name="bad.mlir")
except tl.CompileError as e:
    print("CompileError:", e.diagnostics.splitlines()[0])
try:
    c.kernel("nope")
except KeyError as e:
    print("KeyError:", e)


class FakeTensor:
    """What PyTorch and CuPy offer: __cuda_array_interface__."""

    def __init__(self, shape, ptr):
        self.__cuda_array_interface__ = {"shape": shape, "data": (ptr, False),
                                         "typestr": "<f4", "version": 3}


class TorchLike:
    def __init__(self, shape, ptr):
        self.shape, self.ptr = shape, ptr

    def data_ptr(self):
        return self.ptr


print("== launch (stand-in driver)")
a, b = FakeTensor((512, 512), 0x100000), TorchLike((512, 512), 0x200000)
k.launch((8, 8), a, b, sync=True)
# Both maps share a descriptor: encoded once, re-pointed for the other.
print("launches", fakecuda.fakeCudaCalls(b"cuLaunchKernel"),
      "tiled maps", fakecuda.fakeCudaCalls(b"cuTensorMapEncodeTiled"),
      "re-pointed", fakecuda.fakeCudaCalls(b"cuTensorMapReplaceAddress"))
vals = k.pack((a, 0x300000))
print("packed", [type(v).__name__ for v in vals])
for bad, why in [((a,), "count"), ((FakeTensor((512, 256), 1), b), "shape"),
                 ((a, "x"), "type")]:
    try:
        k.launch((8, 8), *bad)
    except (TypeError, tl.LaunchError) as e:
        print(why, type(e).__name__ + ":", str(e)[:120])
print("launches after the bad ones", fakecuda.fakeCudaCalls(b"cuLaunchKernel"))

print("== save / load")
path = os.path.join(sys.argv[3], "bundle.json")
t.save(path)
bundle = tl.load(path)
k2 = bundle.kernel("copy64")
print("same binary", bundle.binaries[0].data == t.binaries[0].data, "same abi",
      k2.abi == k.abi)
k2.launch((8, 8), a, b, sync=True)
print("launches", fakecuda.fakeCudaCalls(b"cuLaunchKernel"))
