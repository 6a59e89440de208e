using ContactLists;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace NightlySync;

/// <summary>
/// Where the customers come from: replace <see cref="CsvCustomerSource"/> with your own (a database query streamed
/// with <c>await foreach</c>, mapped to <see cref="Contact"/>). Read once per run, start to end.
/// </summary>
public interface ICustomerSource
{
    /// <summary>The customers, as contacts.</summary>
    /// <param name="cancellationToken">Stops the read.</param>
    IAsyncEnumerable<Contact> ReadAsync(CancellationToken cancellationToken);
}

/// <summary>The sample's source: a CSV export, read as people write them (headers such as <c>Mobile Number</c>, quoted commas, blank lines).</summary>
internal sealed class CsvCustomerSource(IOptions<NightlySyncOptions> options, IHostEnvironment environment) : ICustomerSource
{
    public IAsyncEnumerable<Contact> ReadAsync(CancellationToken cancellationToken)
        => ContactCsv.ReadAsync(Path.Combine(environment.ContentRootPath, options.Value.Source), cancellationToken: cancellationToken);
}
