using System.Net;
using ContactLists.Emulator;

namespace ContactLists.Tests.Reliability;

/// <summary>
/// The network as a hostile tester sees it (issue 18): redirects to another host, connections reset on accept,
/// truncated answers to calls whose answer is discarded, JSON of the wrong shape, and a server that processes a
/// request and hangs up. For every provider, every failure is a typed <see cref="ContactListException"/>, nothing is
/// sent to a host the SDK was not configured for, and no contact is counted accepted that the provider did not take.
/// </summary>
public sealed class HostileNetworkTests
{
    public static TheoryData<string, EmulatorFault> RedirectCases()
    {
        var cases = new TheoryData<string, EmulatorFault>();
        foreach (var provider in ReliabilityTarget.All.Keys)
        {
            cases.Add(provider, EmulatorFault.Redirect);
            cases.Add(provider, EmulatorFault.TemporaryRedirect);
        }

        return cases;
    }

    /// <summary>
    /// Every operation of every provider, answered with a redirect to a second loopback listener (standing for a
    /// foreign host): a typed error naming the provider, the status and the Location's host (never its query), and the
    /// foreign host receives nothing: no key, no token request, no contact.
    /// </summary>
    [Theory]
    [MemberData(nameof(RedirectCases))]
    public async Task No_request_follows_a_redirect_to_another_host(string provider, EmulatorFault redirect)
    {
        await using var foreign = new RawHttpServer();
        var target = ReliabilityTarget.All[provider];
        await using var clock = new VirtualClock(TimeSpan.FromMilliseconds(100));
        var faults = new EmulatorFaults { Kinds = [redirect], RedirectLocation = new Uri(foreign.BaseAddress, "?token=query-secret-value"), Where = _ => true };
        await using var run = await target.StartAsync(clock, faults);
        var listId = await target.CreateListAsync(run.Client, run.Emulator, "Redirected");
        var members = Enumerable.Range(0, 3).Select(target.Contact).ToList();
        await run.Client.AddContactsAsync(listId, members);
        var status = redirect == EmulatorFault.Redirect ? "302" : "307";
        var ran = 0;

        foreach (var (capability, operation) in FaultMatrixTests.Operations(run.Client, run.Emulator, faults, target, listId, members))
        {
            if (!run.Client.Capabilities.HasFlag(capability))
            {
                continue;
            }

            faults.Rate = 1;
            var act = async () => await operation();
            var error = (await act.Should().ThrowAsync<ContactListException>($"{capability} answered {status} fails typed")).Which;
            faults.Rate = 0;
            ran++;
            var text = error is ContactListBulkException { Result.Batches: [.., { Error: { } batchError }] } ? batchError.Message : error.Message;
            text.Should().Contain(provider).And.Contain(status).And.Contain(foreign.BaseAddress.Authority, "the error names the Location's host");
            error.ToString().Should().NotContain("query-secret-value", "the Location's query is never quoted").And.NotContain(target.Secret(run.Emulator));
            if (error is ContactListBulkException { Result: { } result })
            {
                (result.Accepted + result.AcceptedForProcessing).Should().Be(0, "a redirected batch is not accepted");
            }
        }

        ran.Should().BeGreaterThanOrEqualTo(3);
        faults.Injected.Should().NotBeEmpty();
        foreign.Requests.Should().BeEmpty("no request of the SDK follows a redirect");
        foreign.Connections.Should().Be(0, "the foreign host is not even connected to");
    }

    /// <summary>Movio's and Messengeo's token endpoints redirected: the client secret never leaves for the other host.</summary>
    [Theory]
    [InlineData("Movio")]
    [InlineData("Messengeo")]
    public async Task A_token_request_does_not_follow_a_redirect(string provider)
    {
        await using var foreign = new RawHttpServer(_ => RawAnswer.Json(200, """{"access_token":"foreign-token","expires_in":3600}"""));
        var target = ReliabilityTarget.All[provider];
        await using var clock = new VirtualClock(TimeSpan.FromMilliseconds(100));
        var faults = new EmulatorFaults
        {
            Kinds = [EmulatorFault.TemporaryRedirect],
            RedirectLocation = foreign.BaseAddress,
            Where = t => t.Path.EndsWith("/token", StringComparison.Ordinal),
            Rate = 1,
        };
        await using var run = await target.StartAsync(clock, faults);
        var listId = provider == "Movio" ? run.Emulator.Movio.State.CreateList("Token") : "1";

        var act = () => run.Client.AddContactsAsync(listId, [target.Contact(1)]);

        var error = (await act.Should().ThrowAsync<ContactListException>()).Which;
        error.ToString().Should().Contain("307").And.Contain(foreign.BaseAddress.Authority).And.NotContain(target.Secret(run.Emulator));
        foreign.Requests.Should().BeEmpty("the token request, with its client secret, is not sent to the other host");
    }

    /// <summary>
    /// https to http: a provider on https (WireMock with its own certificate) redirects to a plain-http host. The user's
    /// own primary handler trusts the certificate and even asks to follow redirects; the SDK still does not.
    /// </summary>
    [Theory]
    [InlineData(302)]
    [InlineData(307)]
    [InlineData(308)]
    public async Task An_https_provider_redirecting_to_http_is_not_followed_even_with_a_users_handler_that_would(int status)
    {
        await using var foreign = new RawHttpServer();
        using var certificate = SelfSignedLoopbackCertificate();
        using var https = WireMock.Server.WireMockServer.Start(new WireMock.Settings.WireMockServerSettings
        {
            UseSSL = true,
            CertificateSettings = new WireMock.Settings.WireMockCertificateSettings { X509Certificate = certificate },
        });
        https.Given(WireMock.RequestBuilders.Request.Create().UsingAnyMethod())
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(status).WithHeader("Location", new Uri(foreign.BaseAddress, "v1/contacts/lists?x=query-secret-value").AbsoluteUri));
        var services = new ServiceCollection();
        services.AddContactLists(b => b.AddWhippy("marketing", o =>
        {
            o.BaseAddress = new Uri(https.Urls[0]);
            o.ApiKey = WhippyTestHost.ApiKey;
            o.EnablePacing = false;
        }).HttpClientBuilder.ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
        {
            AllowAutoRedirect = true,
#pragma warning disable CA5359 // The test server's own certificate, on loopback.
            SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
#pragma warning restore CA5359
        }));
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredKeyedService<IContactListClient>("marketing");

        var create = () => client.CreateListAsync(new NewContactList("Spring"));
        var read = () => client.GetListAsync("l1");

        (await create.Should().ThrowAsync<ContactListUnexpectedAnswerException>()).Which.Problem.Should().Be(UnexpectedAnswerProblem.Redirected);
        var error = (await read.Should().ThrowAsync<ContactListUnexpectedAnswerException>()).Which;
        error.Message.Should().Contain(status.ToString(System.Globalization.CultureInfo.InvariantCulture)).And.Contain(foreign.BaseAddress.Authority).And.NotContain("query-secret-value");
        error.ToString().Should().NotContain(WhippyTestHost.ApiKey);
        foreign.Requests.Should().BeEmpty();
        https.LogEntries.Should().HaveCount(2, "a redirect is not retried either");
    }

    /// <summary>Every connection reset as soon as it is accepted: after the retries, a typed transient error, never a raw socket exception.</summary>
    [Theory]
    [MemberData(nameof(ReliabilityTarget.Names), MemberType = typeof(ReliabilityTarget))]
    public async Task Connections_reset_on_accept_end_in_a_typed_error(string provider)
    {
        var target = ReliabilityTarget.All[provider];
        await using var clock = new VirtualClock(TimeSpan.FromMilliseconds(100));
        var faults = new EmulatorFaults { Kinds = [EmulatorFault.ResetOnAccept] };
        await using var run = await target.StartAsync(clock, faults);
        var listId = await target.CreateListAsync(run.Client, run.Emulator, "Reset");
        var members = Enumerable.Range(0, 3).Select(target.Contact).ToList();
        await run.Client.AddContactsAsync(listId, members);
        var ran = 0;

        foreach (var (capability, _) in FaultMatrixTests.Operations(run.Client, run.Emulator, faults, target, listId, members))
        {
            if (!run.Client.Capabilities.HasFlag(capability))
            {
                continue;
            }

            // A reset is met on a new connection: each operation runs on a new client, whose pool is empty.
            var (services, fresh) = target.Build(run.Emulator, clock);
            await using (services)
            {
                faults.Rate = 1;
                var operations = FaultMatrixTests.Operations(fresh, run.Emulator, faults, target, listId, members).ToDictionary(o => o.Item1, o => o.Item2);
                var before = faults.Injected.Count;
                Exception? thrown = null;
                try
                {
                    await operations[capability]();
                }
                catch (Exception ex)
                {
                    thrown = ex;
                }

                faults.Rate = 0;
                ran++;
                if (thrown is null)
                {
                    // Only an operation that made its own clean connection first (DeleteList creates its list with faults off) can meet none.
                    faults.Injected.Count.Should().Be(before, $"{capability} succeeded only because it met no reset");
                    continue;
                }

                thrown.Should().BeAssignableTo<ContactListException>($"{capability} over reset connections fails typed, not {thrown.GetType().Name}: {thrown.Message}");
                thrown.Message.Should().Contain(provider);
            }
        }

        ran.Should().BeGreaterThanOrEqualTo(3);
        faults.Injected.Should().Contain(f => f.Fault == EmulatorFault.ResetOnAccept);
    }

    /// <summary>
    /// A 2xx whose body breaks off, to calls whose answer the SDK does not need (a list create, a membership write): a
    /// create is a typed error saying it may have been applied (and the list is there); a repeatable write is retried.
    /// </summary>
    [Fact]
    public async Task A_truncated_answer_to_an_Octopush_list_create_is_typed_and_says_it_may_have_been_applied()
    {
        var target = ReliabilityTarget.All["Octopush"];
        await using var clock = new VirtualClock(TimeSpan.FromMilliseconds(100));
        var faults = new EmulatorFaults { Kinds = [EmulatorFault.TruncatedBody], MaxFaults = 1, Rate = 1 };
        await using var run = await target.StartAsync(clock, faults);

        var act = () => run.Client.CreateListAsync(new NewContactList("Truncated"));

        // The emulator resets the connection after half the body: what arrives first may be the reset or the bytes.
        (await act.Should().ThrowAsync<ContactListException>()).Which.MayHaveBeenApplied.Should().BeTrue();
        run.Emulator.Octopush.State.ListNames.Should().Contain("Truncated", "the create was applied before its answer broke off");
    }

    [Theory]
    [InlineData(201)]
    [InlineData(200)]
    public async Task A_create_whose_answer_breaks_off_after_its_headers_is_an_unexpected_answer_that_may_have_been_applied(int status)
    {
        await using var server = new RawHttpServer(_ => RawAnswer.Truncated(status, """{"list_name":"Truncated","ok":true}"""));
        var services = new ServiceCollection();
        services.AddContactLists(b => b.AddOctopush("alerts", o =>
        {
            o.BaseAddress = server.BaseAddress;
            o.ApiLogin = "ops@example.com";
            o.ApiKey = "octopush-secret";
        }));
        await using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredKeyedService<IContactListClient>("alerts").CreateListAsync(new NewContactList("Truncated"));

        var error = (await act.Should().ThrowAsync<ContactListUnexpectedAnswerException>()).Which;
        error.Problem.Should().Be(status == 201 ? UnexpectedAnswerProblem.Truncated : UnexpectedAnswerProblem.UnexpectedStatus);
        error.MayHaveBeenApplied.Should().BeTrue();
        server.Requests.Should().ContainSingle("a create is not repeated");
    }

    /// <summary>Movio documents 202; a truncated 200 to a membership write is neither success nor raw: it is retried (the write is repeatable), then accepted.</summary>
    [Theory]
    [InlineData(200)]
    [InlineData(202)]
    public async Task A_truncated_answer_to_a_Movio_membership_write_is_retried(int status)
    {
        var first = true;
        await using var server = new RawHttpServer(request =>
        {
            if (request.Target.StartsWith("/oauth/token", StringComparison.Ordinal) || request.Target.EndsWith("/token", StringComparison.Ordinal))
            {
                return RawAnswer.Json(200, """{"access_token":"t","token_type":"Bearer","expires_in":3600}""");
            }

            if (first)
            {
                first = false;
                return RawAnswer.Truncated(status, """{"total":1,"created_count":1,"updated_count":0}""");
            }

            return RawAnswer.Json(202, "{}");
        });
        var services = new ServiceCollection();
        services.AddContactLists(b => b.AddMovio("loyalty", o =>
        {
            o.BaseAddress = server.BaseAddress;
            o.TokenEndpoint = new Uri(server.BaseAddress, "token");
            o.ClientId = "id";
            o.ClientSecret = "movio-secret";
        }).ConfigureResilience(r => r.Retry.Delay = TimeSpan.FromMilliseconds(1)));
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredKeyedService<IContactListClient>("loyalty");

        var result = await client.AddContactsAsync("42", [new Contact { Email = "ada@example.com" }]);

        result.AcceptedForProcessing.Should().Be(1);
        server.Requests.Count(r => r.Method == "PUT").Should().Be(2, "the truncated answer was retried once");
    }

    /// <summary>
    /// A server that processes a request and hangs up without answering: exactly the SDK's attempts reach it (the
    /// retry strategy's, for a repeatable call; one, for a create), never more from the HTTP stack below.
    /// </summary>
    [Theory]
    [InlineData(true, 4)]
    [InlineData(false, 1)]
    public async Task Only_the_SDKs_retries_repeat_a_request(bool repeatable, int expected)
    {
        var target = ReliabilityTarget.All["Whippy"];
        await using var clock = new VirtualClock(TimeSpan.FromMilliseconds(100));
        var faults = new EmulatorFaults { Kinds = [EmulatorFault.AnswerLost] };
        await using var run = await target.StartAsync(clock, faults);
        // Several pooled connections, each used once, so that a stack that retries on a reused connection would.
        var listId = await target.CreateListAsync(run.Client, run.Emulator, "Lost answers");
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => run.Client.GetListAsync(listId)));
        run.Emulator.Log.Clear();
        faults.Rate = 1;

        var act = () => repeatable ? run.Client.GetListAsync(listId) : run.Client.CreateListAsync(new NewContactList("Lost"));

        await act.Should().ThrowAsync<ContactListTransientException>();
        faults.Rate = 0;
        run.Emulator.Log.Requests.Should().HaveCount(expected, "the server processed each attempt the SDK made, and no other");
    }

    /// <summary>A JSON body of the wrong shape is not an answer: a contact counts accepted only when the list then holds it.</summary>
    [Theory]
    [MemberData(nameof(ReliabilityTarget.Names), MemberType = typeof(ReliabilityTarget))]
    public async Task Wrong_shape_answers_never_count_a_contact_accepted(string provider)
    {
        var target = ReliabilityTarget.All[provider];
        await using var clock = new VirtualClock(TimeSpan.FromMilliseconds(100));
        var faults = new EmulatorFaults { Kinds = [EmulatorFault.WrongShapeJson], Seed = 3 };
        await using var run = await target.StartAsync(clock, faults);
        var listId = await target.CreateListAsync(run.Client, run.Emulator, "Wrong shape");
        var input = Enumerable.Range(0, 400).Select(target.Contact).ToList();
        faults.Rate = 0.3;

        BulkResult result;
        try
        {
            result = await run.Client.AddContactsAsync(listId, input, new BulkOptions { BatchSize = 20, ContinueOnError = true }, TestContext());
        }
        catch (ContactListBulkException ex)
        {
            result = ex.Result;
        }

        faults.Rate = 0;
        var members = target.Members(run.Emulator, listId).ToHashSet(StringComparer.Ordinal);
        var notDelivered = result.NotSent.Select(n => n.Index).Concat(result.Rejected.Select(r => r.Index)).ToHashSet();
        input.Where((_, i) => !notDelivered.Contains(i)).Where(c => !members.Contains(target.Identity(c))).Should().BeEmpty("a contact counted accepted is in the list");
        faults.Injected.Should().Contain(f => f.Fault == EmulatorFault.WrongShapeJson);
    }

    /// <summary>A list name beyond what the provider documents (or the SDK's stated default) is refused before anything is sent.</summary>
    [Theory]
    [MemberData(nameof(ReliabilityTarget.Names), MemberType = typeof(ReliabilityTarget))]
    public async Task A_huge_list_name_is_refused_before_sending(string provider)
    {
        var target = ReliabilityTarget.All[provider];
        await using var clock = new VirtualClock(TimeSpan.FromMilliseconds(100));
        await using var run = await target.StartAsync(clock);
        var name = new string('n', 1024 * 1024);
        var capabilities = run.Client.Capabilities;
        run.Emulator.Log.Clear();

        if (capabilities.HasFlag(ContactListCapabilities.CreateList))
        {
            var create = () => run.Client.CreateListAsync(new NewContactList(name));
            (await create.Should().ThrowAsync<ContactListValidationException>()).Which.Message.Should().Contain("characters");
        }

        if (capabilities.HasFlag(ContactListCapabilities.UpdateList))
        {
            var update = () => run.Client.UpdateListAsync("1", new ContactListUpdate { Name = name });
            await update.Should().ThrowAsync<ContactListValidationException>();
        }

        if (capabilities.HasFlag(ContactListCapabilities.MergeLists))
        {
            var merge = () => run.Client.MergeListsAsync(name, ["1", "2"]);
            await merge.Should().ThrowAsync<ContactListValidationException>();
        }

        run.Emulator.Log.Requests.Should().BeEmpty("nothing is sent");
    }

    private static CancellationToken TestContext() => CancellationToken.None;

    private static System.Security.Cryptography.X509Certificates.X509Certificate2 SelfSignedLoopbackCertificate()
    {
        using var key = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=127.0.0.1", key, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        var names = new System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        // Kestrel needs the private key in a form it can use: round-trip through PFX.
        return System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12(created.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pfx), null);
    }

    private static IEnumerable<Exception> Chain(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }
}
