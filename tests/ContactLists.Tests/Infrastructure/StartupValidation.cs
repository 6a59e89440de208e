using Microsoft.Extensions.Options;

namespace ContactLists.Tests.Infrastructure;

/// <summary>Start-up validation of registered accounts, as an app's host runs it.</summary>
public static class StartupValidation
{
    /// <summary>Registers accounts with <paramref name="configure"/> and returns the start-up validation's message (several accounts' failures joined); fails when validation passes.</summary>
    public static async Task<string> FailureAsync(Action<ContactListsBuilder> configure)
    {
        var services = new ServiceCollection();
        services.AddContactLists(configure);
        await using var provider = services.BuildServiceProvider();
        try
        {
            provider.GetRequiredService<IStartupValidator>().Validate();
        }
        catch (OptionsValidationException ex)
        {
            return ex.Message;
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is OptionsValidationException))
        {
            // Several clients with invalid settings: one failure each.
            return string.Join(" | ", ex.InnerExceptions.Select(e => e.Message));
        }

        throw new InvalidOperationException("Start-up validation passed, but it should have failed.");
    }
}
