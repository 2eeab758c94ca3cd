"""compile(output, inputs): trace a graph once, replay it at new values; `Compiled.source` is the code
the chain rule writes.

The jobs, one module each: `writer` traces the graph and writes a line per node from the rules'
formulas (`forms`), under names made safe (`names`); `lines` holds those lines and the readable
function; `fuse` writes single-use values inline; `registers` renames variables to few registers;
`chunks` splits a big graph's code into functions; `compiled` runs it.
"""

from autograd.compile.compiled import Compiled
from autograd.compile.writer import compile

__all__ = ["Compiled", "compile"]
