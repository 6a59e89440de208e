namespace ContactLists;

/// <summary>Creates the <see cref="IContactListClient"/> registered under a name.</summary>
public interface IContactListClientFactory
{
    /// <summary>The names of every registered client.</summary>
    IReadOnlyCollection<string> ClientNames { get; }

    /// <summary>The client registered under <paramref name="name"/>.</summary>
    /// <param name="name">The name given to <c>AddWhippy(name, …)</c> and the like.</param>
    /// <exception cref="KeyNotFoundException">No client has that name; the message lists the names there are.</exception>
    IContactListClient GetClient(string name);
}
