namespace ContactLists.Providers.SlickText;

/// <summary>The brand id of one registered client, read once from <c>GET /v1/brands</c> when not configured.</summary>
internal sealed class SlickTextBrandCache
{
    private Task<long>? _brand;
    private readonly object _gate = new();

    /// <summary>The brand id: <paramref name="configured"/> when set, else the one <c>GET /v1/brands</c> gives (read once).</summary>
    public Task<long> GetAsync(long? configured, ISlickTextApi api, CancellationToken cancellationToken)
        => configured is { } id ? Task.FromResult(id) : GetAsync(() => api.GetBrandAsync(cancellationToken));

    public async Task<long> GetAsync(Func<Task<SlickTextBrand>> discover)
    {
        Task<long> pending;
        lock (_gate)
        {
            pending = _brand ??= DiscoverAsync(discover);
        }

        try
        {
            return await pending.ConfigureAwait(false);
        }
        catch
        {
            lock (_gate)
            {
                // A failed discovery (a wrong key, say) is not remembered.
                if (ReferenceEquals(_brand, pending))
                {
                    _brand = null;
                }
            }

            throw;
        }
    }

    private static async Task<long> DiscoverAsync(Func<Task<SlickTextBrand>> discover) => (await discover().ConfigureAwait(false)).BrandId;
}
