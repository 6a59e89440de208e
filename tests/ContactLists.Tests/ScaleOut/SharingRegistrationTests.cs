using ContactLists.Http;
using ContactLists.Redis;
using ContactLists.Sharing;

namespace ContactLists.Tests.ScaleOut;

/// <summary>How shared stores are chosen and configured; no Redis needed (nothing connects until a permit is asked for).</summary>
public sealed class SharingRegistrationTests
{
    [Fact]
    public void Without_a_shared_store_every_account_paces_and_caches_in_process()
    {
        using var provider = Build(b => b.AddWhippy("a", o => o.ApiKey = "key-a"));

        SharedStores.RateLimitStore(provider, "a").Should().BeSameAs(InProcessRateLimitStore.Instance);
        SharedStores.TokenCache(provider, "a").Should().BeSameAs(InProcessTokenCache.Instance);
    }

    [Fact]
    public void UseRedis_on_one_account_shares_that_account_only()
    {
        using var provider = Build(b =>
        {
            b.AddWhippy("shared", o => o.ApiKey = "key-a").UseRedis("127.0.0.1:1");
            b.AddWhippy("alone", o => o.ApiKey = "key-b");
        });

        SharedStores.RateLimitStore(provider, "shared").Should().NotBeSameAs(InProcessRateLimitStore.Instance);
        SharedStores.TokenCache(provider, "shared").Should().NotBeSameAs(InProcessTokenCache.Instance);
        SharedStores.RateLimitStore(provider, "alone").Should().BeSameAs(InProcessRateLimitStore.Instance);
    }

    [Fact]
    public void UseRedis_on_the_builder_shares_every_account()
    {
        using var provider = Build(b =>
        {
            b.AddWhippy("one", o => o.ApiKey = "key-a");
            b.AddSlickText("two", o => o.ApiKey = "key-b");
            b.UseRedis("127.0.0.1:1");
        });

        SharedStores.RateLimitStore(provider, "one").Should().NotBeSameAs(InProcessRateLimitStore.Instance);
        SharedStores.RateLimitStore(provider, "two").Should().NotBeSameAs(InProcessRateLimitStore.Instance);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.5)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void A_fallback_share_outside_0_to_1_is_refused_at_registration(double share)
    {
        var services = new ServiceCollection();

        var act = () => services.AddContactLists(b => b.UseRedis("127.0.0.1:1", o => o.FallbackShare = share));

        act.Should().Throw<ArgumentException>().WithMessage("*FallbackShare*");
    }

    [Fact]
    public void A_configuration_string_Redis_cannot_read_is_refused_at_registration()
    {
        var services = new ServiceCollection();

        var act = () => services.AddContactLists(b => b.UseRedis("127.0.0.1:6379,notAnOption=1"));

        act.Should().Throw<ArgumentException>().WithMessage("*notAnOption*");
    }

    [Fact]
    public void A_non_positive_timeout_is_refused_at_registration()
    {
        var services = new ServiceCollection();

        var act = () => services.AddContactLists(b => b.UseRedis("127.0.0.1:1", o => o.OperationTimeout = TimeSpan.Zero));

        act.Should().Throw<ArgumentException>().WithMessage("*OperationTimeout*");
    }

    [Fact]
    public void The_account_id_is_the_same_for_the_same_account_differs_between_accounts_and_reveals_no_credential()
    {
        var address = new Uri("https://api.whippy.co");
        var id = ProviderAccount.Fingerprint(address, "secret-api-key-123");

        ProviderAccount.Fingerprint(address, "secret-api-key-123").Should().Be(id);
        ProviderAccount.Fingerprint(address, "secret-api-key-124").Should().NotBe(id);
        ProviderAccount.Fingerprint(new Uri("http://127.0.0.1:5089/whippy"), "secret-api-key-123").Should().NotBe(id);
        id.Should().HaveLength(32).And.NotContain("secret");
    }

    [Fact]
    public void A_registered_store_gets_each_rule_of_each_account_with_its_id_fingerprint_or_SharedAccountId()
    {
        var store = new RecordingStore();
        var services = new ServiceCollection();
        services.AddSingleton<IRateLimitStore>(store);
        services.AddContactLists(b =>
        {
            b.AddWhippy("fingerprinted", o => o.ApiKey = "key-a");
            b.AddWhippy("named", o =>
            {
                o.ApiKey = "key-b";
                o.SharedAccountId = "team-a";
            });
        });
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredKeyedService<ClientPacer>("fingerprinted");
        provider.GetRequiredKeyedService<ClientPacer>("named");

        store.Limits.Select(l => (l.Account.ClientName, l.Account.Id, l.RuleName, l.PermitLimit)).Should().BeEquivalentTo(new[]
        {
            ("fingerprinted", ProviderAccount.Fingerprint(new Uri("https://api.whippy.co"), "key-a"), "Whippy contact-list writes", 10),
            ("fingerprinted", ProviderAccount.Fingerprint(new Uri("https://api.whippy.co"), "key-a"), "Whippy requests", 25),
            ("named", "team-a", "Whippy contact-list writes", 10),
            ("named", "team-a", "Whippy requests", 25),
        });
        new RedisSharingOptions().PacingKey(store.Limits[2]).Should().Be("contactlists:pace:Whippy:team-a:Whippy contact-list writes");
        new RedisSharingOptions().TokenKey(store.Limits[2].Account).Should().Be("contactlists:token:Whippy:team-a");
    }

    private sealed class RecordingStore : IRateLimitStore
    {
        public List<AccountRateLimit> Limits { get; } = [];

        public System.Threading.RateLimiting.RateLimiter CreateLimiter(AccountRateLimit limit, TimeProvider timeProvider)
        {
            Limits.Add(limit);
            return InProcessRateLimitStore.Instance.CreateLimiter(limit, timeProvider);
        }
    }

    private static ServiceProvider Build(Action<ContactListsBuilder> configure)
    {
        var services = new ServiceCollection();
        services.AddContactLists(configure);
        return services.BuildServiceProvider();
    }
}
