"""tl from Python: compile tl IR to PTX/cubin and launch it (docs/python.md).

A ctypes binding over libtl.so's tl-c/Compilation.h (text in; binaries, the
kernel ABI, the report and C launchers out) and libtlrt.so (module loading,
tensor maps, launches). No MLIR Python bindings and no PyTorch are needed;
tensors are anything with ``__cuda_array_interface__`` or ``data_ptr()``
(PyTorch, CuPy), or plain device addresses (int).

    import tl
    c = tl.compile(open("examples/tile_copy.mlir").read(), format="cubin")
    print(c.report)
    kernel = c.kernel("copy64")
    kernel.launch((8, 8, 1), a, b)      # a, b: CUDA tensors
"""
import ctypes
import ctypes.util
import json
import os
import struct

__all__ = ["compile", "load", "save", "Compilation", "Bundle", "Binary",
           "Kernel", "CompileError", "LaunchError", "load_library"]
__version__ = "0.1.0"

_FORMATS = {1: "ptx", 2: "cubin", 3: "fatbin"}


class CompileError(RuntimeError):
    """tl-to-nvvm failed; .diagnostics holds the located errors."""

    def __init__(self, diagnostics):
        super().__init__(diagnostics.strip() or "compilation failed")
        self.diagnostics = diagnostics


class LaunchError(RuntimeError):
    """libtlrt reported an error (its message)."""


class _Options(ctypes.Structure):
    _fields_ = [("chip", ctypes.c_char_p), ("features", ctypes.c_char_p),
                ("format", ctypes.c_char_p), ("optLevel", ctypes.c_int)]


def _candidates(name):
    """Where lib<name>.so may be: $TL_LIBRARY_DIR, beside the package (an
    install), the source tree's build/ (TL_BUILD_DIR), the loader's path."""
    here = os.path.dirname(os.path.abspath(__file__))
    dirs = [os.environ.get("TL_LIBRARY_DIR"),
            os.path.join(here, "lib"),
            # installed by cmake: <prefix>/lib/python3/dist-packages/tl
            os.path.normpath(os.path.join(here, "..", "..", ".."))]
    build = os.environ.get("TL_BUILD_DIR") or os.path.join(here, "..", "..", "build")
    dirs += [os.path.join(build, "capi"), os.path.join(build, "runtime")]
    for d in dirs:
        if d and os.path.exists(os.path.join(d, f"lib{name}.so")):
            yield os.path.join(d, f"lib{name}.so")
    found = ctypes.util.find_library(name)
    if found:
        yield found


def load_library(name):
    """Loads lib<name>.so (tl or tlrt) from the first place that has it."""
    for path in _candidates(name):
        try:
            return ctypes.CDLL(path)
        except OSError:
            continue
    raise OSError(f"lib{name}.so not found: set TL_LIBRARY_DIR to the "
                  f"directory that holds it (an install's lib/, or build/capi "
                  f"and build/runtime)")


_tl = None


def _libtl():
    global _tl
    if _tl is None:
        lib = load_library("tl")
        P, S = ctypes.c_void_p, ctypes.c_char_p
        sig = {"tlCompilationCreate": (P, [S, S, ctypes.POINTER(_Options), ctypes.c_bool]),
               "tlCompilationDestroy": (None, [P]),
               "tlCompilationSucceeded": (ctypes.c_bool, [P]),
               "tlCompilationGetDiagnostics": (S, [P]),
               "tlCompilationGetReport": (S, [P]),
               "tlCompilationGetModule": (S, [P]),
               "tlCompilationGetNumBinaries": (ctypes.c_ssize_t, [P]),
               "tlCompilationGetBinaryName": (S, [P, ctypes.c_ssize_t]),
               "tlCompilationGetObject": (P, [P, ctypes.c_ssize_t,
                                              ctypes.POINTER(ctypes.c_size_t),
                                              ctypes.POINTER(ctypes.c_int)]),
               "tlCompilationGetABI": (S, [P, ctypes.c_ssize_t]),
               "tlCompilationEmitC": (ctypes.c_bool, [P, S, ctypes.POINTER(S),
                                                      ctypes.POINTER(S)]),
               "tlGetVersion": (S, [])}
        for fn, (res, args) in sig.items():
            f = getattr(lib, fn)
            f.restype, f.argtypes = res, args
        _tl = lib
    return _tl


def _s(b):
    return b.decode() if b else ""


class Binary:
    """One gpu.binary: its name, object bytes, format and kernels' ABI."""

    def __init__(self, name, data, fmt, abi):
        self.name, self.data, self.format, self.abi = name, data, fmt, abi
        self._module = None

    @property
    def kernels(self):
        return [k["name"] for k in self.abi]


class Compilation:
    """The result of compile(): diagnostics, report, module text, binaries."""

    def __init__(self, handle):
        lib = _libtl()
        self._h = handle
        self.ok = bool(lib.tlCompilationSucceeded(handle))
        self.diagnostics = _s(lib.tlCompilationGetDiagnostics(handle))
        self.report = _s(lib.tlCompilationGetReport(handle))
        self.module = _s(lib.tlCompilationGetModule(handle))
        self.binaries = []
        for i in range(lib.tlCompilationGetNumBinaries(handle)):
            size, fmt = ctypes.c_size_t(), ctypes.c_int()
            p = lib.tlCompilationGetObject(handle, i, ctypes.byref(size), ctypes.byref(fmt))
            self.binaries.append(Binary(_s(lib.tlCompilationGetBinaryName(handle, i)),
                                        ctypes.string_at(p, size.value) if p else b"",
                                        _FORMATS.get(fmt.value, "unknown"),
                                        json.loads(_s(lib.tlCompilationGetABI(handle, i)))))

    def __del__(self):
        if getattr(self, "_h", None) and _tl is not None:
            _tl.tlCompilationDestroy(self._h)
            self._h = None

    def emit_c(self, header_name):
        """(C source, header) of launchers for every kernel (tl-c/EmitC.h);
        the source includes `header_name`."""
        src, hdr = ctypes.c_char_p(), ctypes.c_char_p()
        if not _libtl().tlCompilationEmitC(self._h, header_name.encode(),
                                           ctypes.byref(src), ctypes.byref(hdr)):
            raise CompileError(_s(_libtl().tlCompilationGetDiagnostics(self._h)))
        return _s(src.value), _s(hdr.value)

    def save(self, path):
        """Writes the binaries and their ABI to `path` (JSON), for a machine
        without MLIR: tl.load(path) there launches them with libtlrt only."""
        save(self.binaries, path)

    def kernel(self, name):
        """The launchable Kernel `name` of any binary."""
        return _kernel(self.binaries, name)


def _kernel(binaries, name):
    for b in binaries:
        for k in b.abi:
            if k["name"] == name:
                return Kernel(b, k)
    raise KeyError(f"no kernel {name!r} (have: "
                   f"{', '.join(n for b in binaries for n in b.kernels)})")


def save(binaries, path):
    """Writes binaries (Binary objects) and their ABI to `path` as JSON."""
    import base64
    with open(path, "w") as f:
        json.dump({"tl": __version__, "binaries": [
            {"name": b.name, "format": b.format, "abi": b.abi,
             "data": base64.b64encode(b.data).decode()} for b in binaries]}, f)


class Bundle:
    """Binaries read back by load(): .binaries, .kernel(name)."""

    def __init__(self, binaries):
        self.binaries = binaries

    def kernel(self, name):
        return _kernel(self.binaries, name)


def load(path):
    """Reads what Compilation.save wrote; needs libtlrt.so only (no libtl,
    no MLIR) to launch."""
    import base64
    with open(path) as f:
        d = json.load(f)
    return Bundle([Binary(b["name"], base64.b64decode(b["data"]), b["format"], b["abi"])
                   for b in d["binaries"]])



def compile(source, *, name=None, chip=None, features=None, format="cubin",
            opt_level=-1, report=False):
    """Compiles tl IR text through tl-to-nvvm. format: "ptx" (no ptxas
    needed), "cubin" or "fatbin". Raises CompileError with the located
    diagnostics on failure."""
    opts = _Options(chip.encode() if chip else None,
                    features.encode() if features else None,
                    {"ptx": b"isa"}.get(format, format.encode()), opt_level)
    h = _libtl().tlCompilationCreate(source.encode(), name.encode() if name else None,
                                     ctypes.byref(opts), report)
    c = Compilation(h)
    if not c.ok:
        raise CompileError(c.diagnostics)
    return c


from tl.launch import Kernel  # noqa: E402
