"""The names a check compares, shared by the child that records them and the parent that judges them: which helper
call gives which trace quantity, and which level each quantity belongs to."""

from __future__ import annotations

# the helpers of the article's file, in the starter's order (raw_activation may be called z)
HELPERS = ("sigmoid", "sigmoid_prime", "raw_activation", "cost", "dc_db", "dc_dw", "dc_da_prev")


def helper_calls(L: int) -> list[tuple[str, str, str, tuple[str, ...]]]:
    """(helper, trace name it gives, the call as the article writes it, operand names) for a network of L layers
    after the input, in the starter's order of helpers, layers as the trace meets them."""
    calls = []
    for l in range(1, L + 1):
        calls.append(("sigmoid", f"a_l{l}", f"sigmoid(z_l{l})", (f"z_l{l}",)))
    for l in range(1, L + 1):
        calls.append(("sigmoid_prime", f"sigmoid_prime_l{l}", f"sigmoid_prime(z_l{l})", (f"z_l{l}",)))
    for l in range(1, L + 1):
        calls.append(("raw_activation", f"z_l{l}", f"raw_activation(w_l{l}, a_l{l-1}, b_l{l})",
                      (f"w_l{l}", f"a_l{l-1}", f"b_l{l}")))
    calls.append(("cost", "original_cost", f"cost(a_l{L}, y)", (f"a_l{L}", "y")))
    for l in range(L, 0, -1):
        calls.append(("dc_db", f"dc_db_l{l}", f"dc_db(z_l{l}, dc_da_l{l})", (f"z_l{l}", f"dc_da_l{l}")))
    for l in range(L, 0, -1):
        calls.append(("dc_dw", f"dc_dw_l{l}", f"dc_dw(a_l{l-1}, dc_db_l{l})", (f"a_l{l-1}", f"dc_db_l{l}")))
    for l in range(L, 1, -1):
        calls.append(("dc_da_prev", f"dc_da_l{l-1}", f"dc_da_prev(w_l{l}, dc_db_l{l})", (f"w_l{l}", f"dc_db_l{l}")))
    return calls


def level_names(L: int) -> dict[str, list[str]]:
    """The trace's computed quantities of each level after the helpers, each in the trace's order."""
    forward = [n for l in range(1, L + 1) for n in (f"z_l{l}", f"a_l{l}")] + ["original_cost"]
    backward = [f"dc_da_l{L}"]
    for l in range(L, 0, -1):
        backward += [f"dc_db_l{l}", f"dc_dw_l{l}"] + ([f"dc_da_l{l-1}"] if l > 1 else [])
    update = [n for l in range(L, 0, -1) for n in (f"updated_b_l{l}", f"updated_w_l{l}")]
    after = [n for l in range(1, L + 1) for n in (f"updated_z_l{l}", f"updated_a_l{l}")] + ["updated_cost"]
    return {"forward pass": forward, "backward pass": backward, "update": update, "cost after": after}
