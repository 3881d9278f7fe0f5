namespace EditorBridge.Engines.Classic;

/// <summary>
/// Solves L x = 0 for the free pixels with the hinted pixels held at their values (a Dirichlet
/// problem on the affinity graph), by conjugate gradients with a Jacobi preconditioner, starting
/// from a given guess.
/// </summary>
internal static class ConstrainedSolver
{
    /// <param name="x">The guess in, the solution out; fixed pixels must already hold their values.</param>
    /// <returns>The iterations run.</returns>
    public static int Solve(AffinityLaplacian laplacian, bool[] isFixed, float[] x, int maxIterations, float tolerance, CancellationToken cancellationToken)
    {
        int n = x.Length;
        var r = new float[n];
        var z = new float[n];
        var p = new float[n];
        var q = new float[n];
        laplacian.Apply(x, q);
        double rz = 0, bNorm = 0;
        for (int i = 0; i < n; i++)
        {
            if (isFixed[i])
                continue;
            r[i] = -q[i];
            z[i] = r[i] / laplacian.Degree(i);
            p[i] = z[i];
            rz += r[i] * z[i];
        }

        // scale for the stopping rule: how large the hinted values' pull is
        for (int i = 0; i < n; i++)
            bNorm += isFixed[i] ? 0 : (double)r[i] * r[i];
        double stop = tolerance * tolerance * Math.Max(bNorm, 1e-12);
        for (int iteration = 0; iteration < maxIterations; iteration++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            laplacian.Apply(p, q);
            double pq = 0;
            for (int i = 0; i < n; i++)
            {
                if (!isFixed[i])
                    pq += p[i] * q[i];
            }

            if (pq <= 0)
                return iteration;
            float alpha = (float)(rz / pq);
            double rr = 0, next = 0;
            for (int i = 0; i < n; i++)
            {
                if (isFixed[i])
                    continue;
                x[i] += alpha * p[i];
                r[i] -= alpha * q[i];
                z[i] = r[i] / laplacian.Degree(i);
                rr += r[i] * r[i];
                next += r[i] * z[i];
            }

            if (rr <= stop)
                return iteration + 1;
            float beta = (float)(next / rz);
            rz = next;
            for (int i = 0; i < n; i++)
                p[i] = isFixed[i] ? 0 : z[i] + beta * p[i];
        }

        return maxIterations;
    }
}
