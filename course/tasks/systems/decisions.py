"""Coding tasks for A6: an epsilon-greedy bandit and tabular Q-learning."""
from __future__ import annotations

import numpy as np

from .._expect import as_array, call, expect, unpack
from .._task import Task
from . import A
from ._common import expect_dict


# --- A6a: epsilon-greedy multi-armed bandit ---------------------------------------------------------

def _bandit_data(seed: int) -> dict:
    from ...datasets.systems import bernoulli_bandit

    probs = [0.20, 0.35, 0.55, 0.45, 0.30]
    return {"probs": probs, "pull": bernoulli_bandit(probs, seed=600 + seed), "n_arms": 5, "n_steps": 2000,
            "epsilon": 0.1, "seed": seed}


def check_bandit_result(result, n_arms, n_steps):
    """Shared by the visible check and the hidden tests: the returned record is consistent."""
    expect_dict(result, ("arms", "rewards", "estimates", "counts"), "The result")
    arms = as_array(result["arms"], "result['arms']", ndim=1)
    rewards = as_array(result["rewards"], "result['rewards']", ndim=1)
    est = as_array(result["estimates"], "result['estimates']", ndim=1)
    counts = as_array(result["counts"], "result['counts']", ndim=1)
    expect(arms.shape == (n_steps,) and rewards.shape == (n_steps,),
           f"'arms' and 'rewards' should hold one entry per step: shape ({n_steps},).")
    expect(est.shape == (n_arms,) and counts.shape == (n_arms,),
           f"'estimates' and 'counts' should hold one entry per arm: shape ({n_arms},).")
    expect(np.all((arms >= 0) & (arms < n_arms) & (arms == np.round(arms))), "'arms' should hold arm indices 0..n_arms-1.")
    expect(np.array_equal(counts, np.bincount(arms.astype(int), minlength=n_arms)),
           "'counts' should be how many times each arm was pulled.")
    sums = np.bincount(arms.astype(int), weights=rewards, minlength=n_arms)
    means = np.divide(sums, counts, out=np.zeros(n_arms), where=counts > 0)
    expect(np.allclose(est, means, atol=1e-9),
           "'estimates' should be the average reward each arm has paid so far (0 for an arm never pulled): "
           "update with Q[a] += (r - Q[a]) / N[a].")
    return arms.astype(int), rewards, est, counts


def _bandit_correct(fn, data):
    d = data
    result = call(fn, d["pull"], d["n_arms"], d["n_steps"], d["epsilon"], seed=d["seed"])
    arms, rewards, est, counts = check_bandit_result(result, d["n_arms"], d["n_steps"])
    # Replay the record: before each step, the running average reward of every arm. An epsilon-greedy agent pulls
    # an arm with the highest running average, except on exploration steps (probability epsilon, uniform arm).
    k, n = d["n_arms"], d["n_steps"]
    pulled = arms[:, None] == np.arange(k)
    seen = np.cumsum(pulled, axis=0) - pulled
    paid = np.cumsum(pulled * rewards[:, None], axis=0) - pulled * rewards[:, None]
    before = np.divide(paid, seen, out=np.zeros((n, k)), where=seen > 0)
    exploit = before[np.arange(n), arms] >= before.max(axis=1) - 1e-12
    off = 1.0 - exploit.mean()
    expected = d["epsilon"] * (k - 1) / k
    expect(off < expected + 0.05,
           "Too many pulls go to an arm whose running average is not the highest: exploit with argmax of the "
           "estimates whenever you do not explore, and explore only with probability epsilon.")
    expect(off > expected - 0.05, "Too few pulls explore: with probability epsilon pick a uniformly random arm "
                                  "(rng.integers(n_arms)), whatever the estimates say.")
    from ...datasets.systems import bernoulli_bandit

    greedy = call(fn, bernoulli_bandit([1.0, 1.0, 1.0], seed=0), 3, 50, 0.0, seed=0)
    g_arms, *_ = check_bandit_result(greedy, 3, 50)
    expect(np.all(g_arms == 0),
           "With epsilon = 0 and all estimates starting at 0 the agent should always exploit: np.argmax picks the "
           "lowest index among ties, so it keeps pulling arm 0.")


# --- A6b: tabular Q-learning ------------------------------------------------------------------------

def _q_data(seed: int) -> dict:
    from ...datasets.systems import cliff_world

    rows, cols = [(4, 6), (3, 5), (4, 5)][seed % 3]
    return {"env": cliff_world(rows, cols), "n_episodes": 500, "alpha": 0.5, "gamma": 0.95, "epsilon": 0.2, "seed": seed}


def shortest_safe_path(env) -> int:
    """Number of steps of the shortest path from the start to the goal that enters no other terminal
    state (breadth-first search over the transition table; in the cliff world a shortest path is optimal,
    since every step costs -1 and the cliff costs far more)."""
    P, T = env["next_state"], env["terminal"]
    goal = int(np.flatnonzero(T)[-1])
    steps = {int(env["start"]): 0}
    frontier = [int(env["start"])]
    while frontier:
        nxt = []
        for s in frontier:
            for s2 in map(int, P[s]):
                if s2 not in steps and (s2 == goal or not T[s2]):
                    steps[s2] = steps[s] + 1
                    nxt.append(s2)
        frontier = nxt
    return steps[goal]


def greedy_path(Q, env, max_steps=100):
    s, path = env["start"], []
    for _ in range(max_steps):
        if env["terminal"][s]:
            break
        a = int(np.argmax(Q[s]))
        path.append((s, a))
        s = int(env["next_state"][s, a])
    return path, s


def check_q_result(Q, env, gamma, what="The Q-table"):
    """Shared by the visible check and the hidden tests: the learned table acts optimally from the start."""
    Q = as_array(Q, what, ndim=2)
    expect(Q.shape == env["next_state"].shape, f"{what} should have one row per state and one column per action: shape {env['next_state'].shape}, got {Q.shape}.")
    expect(np.isfinite(Q).all(), f"{what} contains NaN or inf: check the learning rate and the update.")
    expect(np.all(Q[env["terminal"]] == 0), f"Terminal states are never updated, so their row of {what} stays 0.")
    path, end = greedy_path(Q, env)
    goal = int(np.flatnonzero(env["terminal"])[-1])
    expect(end == goal, "Following the greedy action of your Q-table from the start does not reach the goal: the table has not learned.")
    shortest = shortest_safe_path(env)
    expect(len(path) == shortest,
           "The greedy path of your Q-table is not a shortest safe path: bootstrap with gamma * max_a' Q[s', a'] "
           "(0 when s' is terminal) and run all the episodes.")
    # Along a shortest path of L steps that each cost 1, the optimal value of the start is -(1 + γ + … + γ^(L-1)).
    best = -sum(gamma ** t for t in range(shortest))
    expect(abs(Q[env["start"]].max() - best) < 0.5,
           "The learned value of the start state is far from the optimal value: the target is r + gamma * max Q[s'], "
           "without the max when s' is terminal.")


def check_returns(returns, n_episodes):
    returns = as_array(returns, "The episode returns", ndim=1)
    expect(returns.shape == (n_episodes,), f"Return one total reward per episode: shape ({n_episodes},), got {returns.shape}.")
    expect(np.isfinite(returns).all(), "The episode returns contain NaN or inf.")
    expect(np.all(returns <= -1 + 1e-9),
           "Every step of this grid world costs at least 1, so every episode's total reward is at most -1: sum the "
           "rewards r of the steps of the episode (undiscounted).")
    k = max(1, n_episodes // 10)
    expect(returns[-k:].mean() > returns[:k].mean(),
           "The returns of the last episodes should be better than those of the first ones: the agent is not learning.")
    return returns


def _q_correct(fn, data):
    d = data
    result = call(fn, d["env"], d["n_episodes"], d["alpha"], d["gamma"], d["epsilon"], seed=d["seed"])
    Q, returns = unpack(result, 2, "q_learning")
    check_q_result(Q, d["env"], d["gamma"])
    check_returns(returns, d["n_episodes"])


TASKS = [
    Task(
        id="epsilon_greedy_bandit",
        assignment=A,
        question="A6",
        title="An epsilon-greedy multi-armed bandit",
        function="epsilon_greedy",
        points=3,
        hints=(
            "Keep two arrays of length n_arms: N (pulls per arm) and Q (average reward per arm), both starting at 0. "
            "Each step: choose an arm, pull it, update that arm's N and Q, record the arm and the reward.",
            "Choose with rng = np.random.default_rng(seed): if rng.random() < epsilon, a random arm "
            "rng.integers(n_arms); otherwise np.argmax(Q) (ties go to the lowest index).",
            "The running mean needs no stored history: N[a] += 1; Q[a] += (r - Q[a]) / N[a]. Return a dict with "
            "'arms', 'rewards' (arrays of length n_steps), 'estimates' (Q) and 'counts' (N).",
        ),
        checks=(_bandit_correct,),
        make_data=_bandit_data,
    ),
    Task(
        id="tabular_q_learning",
        assignment=A,
        question="A6",
        title="Tabular Q-learning on a small grid world",
        function="q_learning",
        points=3,
        hints=(
            "An episode starts at env['start'] and runs until a terminal state (or max_steps). In state s choose an "
            "action epsilon-greedily from Q[s], look up s' = env['next_state'][s, a] and r = env['reward'][s, a].",
            "The Q-learning target is r + gamma * max(Q[s']) — just r when env['terminal'][s'] — and the update is "
            "Q[s, a] += alpha * (target - Q[s, a]). It learns the greedy policy while behaving epsilon-greedily.",
            "Start from Q = np.zeros((n_states, n_actions)) and rng = np.random.default_rng(seed); explore with "
            "rng.random() < epsilon → rng.integers(n_actions), else np.argmax(Q[s]); set s = s' after the update, "
            "add r to the episode's total, and return (Q, np.array(totals)).",
        ),
        checks=(_q_correct,),
        make_data=_q_data,
    ),
]
