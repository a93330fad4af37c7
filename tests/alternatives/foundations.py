"""Other solutions to the tasks of assignment 1, written from each task's statement alone.

``ALTERNATIVES[task_id]["correct"]``: full sources of solution cells that do what the statement asks
in another way than the reference (another library route, another legitimate order, dtype or tie
rule); each must pass. ``["wrong"]``: common mistakes that pass the visible check; each must fail
the hidden tests with a one-line message that names what is wrong.
"""

ALTERNATIVES = {
    "pca_svd": {
        "correct": {
            # scikit-learn's own PCA: its sign convention differs from the raw SVD's.
            "scikit-learn's PCA": '''
def pca_svd(X, n_components):
    from sklearn.decomposition import PCA
    X = np.asarray(X, dtype=float)
    if not 1 <= n_components <= min(X.shape):
        raise ValueError("n_components out of range")
    pca = PCA(n_components=n_components, svd_solver="full").fit(X)
    return pca.components_, pca.explained_variance_ratio_
''',
            # The eigenvectors of the covariance matrix, largest eigenvalue first.
            "eigh of the covariance matrix": '''
def pca_svd(X, n_components):
    X = np.asarray(X, dtype=float)
    n, p = X.shape
    if n_components < 1 or n_components > min(n, p):
        raise ValueError("n_components out of range")
    C = np.cov(X, rowvar=False)
    values, vectors = np.linalg.eigh(C)
    order = np.argsort(values)[::-1]
    values = np.clip(values[order], 0, None)
    return vectors[:, order[:n_components]].T, values[:n_components] / values.sum()
''',
        },
        "wrong": {
            # Centres X in place: the results are right, the caller's data is changed.
            "centres X in place": '''
def pca_svd(X, n_components):
    X -= X.mean(axis=0)
    n, p = X.shape
    if not 1 <= n_components <= min(n, p):
        raise ValueError("n_components out of range")
    _, s, vt = np.linalg.svd(X, full_matrices=False)
    return vt[:n_components], (s ** 2)[:n_components] / (s ** 2).sum()
''',
            # Never checks n_components.
            "no range check": '''
def pca_svd(X, n_components):
    X = np.asarray(X, dtype=float)
    _, s, vt = np.linalg.svd(X - X.mean(axis=0), full_matrices=False)
    return vt[:n_components], (s ** 2)[:n_components] / (s ** 2).sum()
''',
        },
    },
}
