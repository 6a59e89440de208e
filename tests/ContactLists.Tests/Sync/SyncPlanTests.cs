using System.Text.Json;
using ContactLists.Tests.Reliability;

namespace ContactLists.Tests.Sync;

/// <summary>Issue 20: the plan tells everything before anything is sent; progress flows through every batch; results read as text; a sync resumes.</summary>
public sealed class SyncPlanTests
{
    private static async IAsyncEnumerable<Contact> Source(IEnumerable<Contact> contacts)
    {
        foreach (var contact in contacts)
        {
            await Task.Yield();
            yield return contact;
        }
    }

    private static Contact Uk(int i) => new()
    {
        Phone = $"07911 {i:D6}",
        FirstName = "Ada" + i,
        Attributes = new Dictionary<string, string> { ["Tier"] = "Gold", ["City"] = "Leeds" },
    };

    [Fact]
    public async Task The_plan_counts_everything_before_anything_is_sent_and_reads_as_a_report()
    {
        var target = ReliabilityTarget.All["Octopush"];
        await using var run = await target.StartAsync(TimeProvider.System);
        var listId = await target.CreateListAsync(run.Client, run.Emulator, "Plan");
        run.Emulator.Log.Clear();
        Contact[] source =
        [
            Uk(1), Uk(2), Uk(2) with { Phone = "+44 7911 000002" }, new Contact(), new Contact { Phone = "12" },
            new Contact { Email = "only@example.com" }, Uk(3) with { Email = "ada@example.com" },
        ];

        var plan = await new ContactListSync(run.Client).PlanAsync(listId, Source(source), new SyncOptions { Bulk = new BulkOptions { DefaultRegion = "GB" } });

        run.Emulator.Log.Requests.Should().BeEmpty("Octopush cannot read a list: planning sends nothing at all");
        plan.Mode.Should().Be(SyncMode.Replace);
        (plan.SourceCount, plan.Blank, plan.Duplicates, plan.Adds).Should().Be((6L, 1L, 1L, 3L));
        plan.Refusal!.Guard.Should().Be(SyncGuard.UnknownRemovals, "a first replace of a list Octopush cannot read could remove anyone");
        plan.InvalidReasons.Should().Equal(new Dictionary<string, long> { ["Phone not valid"] = 1, ["Phone missing"] = 1 });
        plan.FieldsLeftOut.Should().Equal(new Dictionary<string, long> { ["Attributes[Tier]"] = 3, ["Attributes[City]"] = 3, ["Email"] = 1 });
        plan.Estimate.Requests.Should().Be(3, "a list check, an empty, and one add");
        var text = plan.ToString();
        text.Should().Contain("replacing the list").And.Contain("replace with: 3").And.Contain("1 blank").And.Contain("1 × Phone not valid")
            .And.Contain("field left out: Attributes[Tier] (3 contacts").And.Contain("estimated: 3 requests");
        plan.Invalid[0].ToString().Should().StartWith("#3 (12): Phone '12' ", "blank items are not counted as positions");
    }

    [Fact]
    public async Task SlickText_estimates_its_requests_and_the_time_they_take_at_4_a_second()
    {
        var target = ReliabilityTarget.All["SlickText"];
        await using var run = await target.StartAsync(TimeProvider.System);
        var listId = await target.CreateListAsync(run.Client, run.Emulator, "Estimate");

        var plan = await new ContactListSync(run.Client).PlanAsync(listId, Source(Enumerable.Range(0, 1000).Select(target.Contact)));

        // The brand's contacts read in pages of 250 (assumed about the input's size), at most one create per contact
        // (SlickText documents no bulk create), one membership call per 100 (SlickText's default batch).
        plan.Estimate.Requests.Should().Be(1014);
        plan.Estimate.Duration.Should().BeCloseTo(TimeSpan.FromSeconds(61) * ((1014 - 240) / 240.0), TimeSpan.FromSeconds(1));
        plan.Estimate.Basis.Should().Be("SlickText requests: 240 per 61 s");
        plan.ToString().Should().Contain("estimated: 1,014 requests, about 3 min 16 s");

        // And the run sends about that: the brand is empty, so one page of it is read, then every contact created.
        run.Emulator.Log.Clear();
        await new ContactListSync(run.Client).ApplyAsync(plan);
        run.Emulator.Log.Requests.Count.Should().BeInRange(1000, 1014);
    }

    [Fact]
    public async Task Progress_flows_through_every_batch_with_the_plans_totals_from_the_start()
    {
        var target = ReliabilityTarget.All["Whippy"];
        await using var run = await target.StartAsync(TimeProvider.System);
        var listId = await target.CreateListAsync(run.Client, run.Emulator, "Progress");
        await run.Client.AddContactsAsync(listId, Enumerable.Range(100, 3).Select(target.Contact));
        var reports = new List<SyncProgress>();
        var bulkReports = 0;

        var result = await new ContactListSync(run.Client).SyncAsync(listId, Source(Enumerable.Range(0, 10).Select(target.Contact)), new SyncOptions
        {
            OnProgress = reports.Add,
            Bulk = new BulkOptions { BatchSize = 3, OnProgress = _ => bulkReports++ },
        });

        reports.Select(r => r.ToSend).Distinct().Should().Equal([13L], "10 adds and 3 removes, known from the first report");
        reports[0].Stage.Should().Be(SyncStage.Planned);
        reports.Count(r => r.Stage == SyncStage.Adding).Should().Be(4, "one report per batch of adds (10 in batches of 3)");
        reports.Count(r => r.Stage == SyncStage.Removing).Should().Be(1);
        reports.Select(r => r.Answered).Should().BeInAscendingOrder();
        reports[^1].Should().Match<SyncProgress>(r => r.Stage == SyncStage.Done && r.Fraction == 1);
        bulkReports.Should().Be(5, "the caller's own bulk callbacks are called too");
        (result.AddedCount, result.RemovedCount).Should().Be((10, 3));
    }

    [Fact]
    public async Task A_new_list_is_planned_without_reading_and_a_provider_that_cannot_create_lists_says_what_to_do()
    {
        var movio = ReliabilityTarget.All["Movio"];
        var whippy = ReliabilityTarget.All["Whippy"];
        await using var movioRun = await movio.StartAsync(TimeProvider.System);
        await using var whippyRun = await whippy.StartAsync(TimeProvider.System);

        var plan = await new ContactListSync(whippyRun.Client).PlanNewListAsync("Spring", Source(Enumerable.Range(0, 5).Select(whippy.Contact)));
        var act = () => new ContactListSync(movioRun.Client).PlanNewListAsync("Spring", Source([]));

        (plan.Adds, plan.TargetCount, plan.ModeReason).Should().Be((5L, 0L, "a new list: every valid contact is added"));
        whippyRun.Emulator.Log.Requests.Should().BeEmpty();
        (await act.Should().ThrowAsync<ContactListOperationNotSupportedException>()).Which.Message.Should().Contain("Movio's own app");
    }

    [Fact]
    public async Task A_sync_cancelled_part_way_resumes_from_the_ledger_without_sending_a_contact_twice()
    {
        var target = ReliabilityTarget.All["SlickText"];
        await using var run = await target.StartAsync(TimeProvider.System);
        var listId = await target.CreateListAsync(run.Client, run.Emulator, "Resume");
        var source = Enumerable.Range(0, 60).Select(target.Contact).ToList();
        var ledger = new InMemorySyncLedger();
        using var stop = new CancellationTokenSource();
        var batches = 0;
        var options = new SyncOptions
        {
            Bulk = new BulkOptions
            {
                BatchSize = 10,
                // Interrupted once the third batch is answered.
                OnBatch = _ =>
                {
                    if (++batches == 3)
                    {
                        stop.Cancel();
                    }
                },
            },
        };

        var interrupted = () => new ContactListSync(run.Client, ledger).SyncAsync(listId, Source(source), options, stop.Token);
        var stopped = (await interrupted.Should().ThrowAsync<ContactListSyncCanceledException>()).Which.Result;
        var answered = stopped.AddedCount;
        var record = await ledger.GetRunAsync(new ContactListSync(run.Client, ledger).TargetOf(listId));
        var creates = run.Emulator.Log.Requests.Count(r => r.Method == "POST" && r.Path.EndsWith("/contacts", StringComparison.Ordinal) && !r.Path.Contains("/lists/", StringComparison.Ordinal));
        var resumed = await new ContactListSync(run.Client, ledger).SyncAsync(listId, Source(source), new SyncOptions { Bulk = new BulkOptions { BatchSize = 10 } });

        answered.Should().BeGreaterThanOrEqualTo(30);
        record!.Outcome.Should().Be(SyncRunOutcome.Partial);
        resumed.Plan.ResumesRunStartedAt.Should().Be(record.StartedAt);
        (resumed.Plan.Adds + resumed.Plan.Unchanged).Should().Be(60);
        resumed.AddedCount.Should().Be(60 - answered, "what the interrupted run had answered is not sent again");
        target.Members(run.Emulator, listId).Should().OnlyHaveUniqueItems().And.HaveCount(60);
        run.Emulator.Log.Requests.Count(r => r.Method == "POST" && r.Path.EndsWith("/contacts", StringComparison.Ordinal) && !r.Path.Contains("/lists/", StringComparison.Ordinal))
            .Should().Be(60, $"each contact created once ({creates} before the interruption)");
    }

    [Fact]
    public void Results_read_as_text_and_enums_serialize_as_names()
    {
        var contact = new Contact { Phone = "+447911123456", Attributes = new Dictionary<string, string> { ["Tier"] = "Gold" } };
        var rejected = new RejectedContact(12, contact, "Email", "Email 'x' is not a valid e-mail address", ByProvider: false);
        var result = new BulkResult
        {
            Provider = "Whippy",
            ListId = "l1",
            Operation = BulkOperation.Add,
            Read = 3,
            Accepted = 1,
            Rejected = [rejected],
            NotSent = [new NotSentContact(2, contact, NotSentReason.MayHaveBeenReceived, 0)],
        };

        contact.ToString().Should().Be("Contact { Phone = +447911123456, Attributes = { Tier = Gold } }");
        rejected.ToString().Should().Be("#12 (+447911123456): Email 'x' is not a valid e-mail address");
        result.LeftOutReasons.Should().Equal(new Dictionary<string, long> { ["Email not valid"] = 1, ["not sent: MayHaveBeenReceived"] = 1 });
        result.ToString().Should().Contain("1 × Email not valid").And.NotContain("Dictionary`2");
        JsonSerializer.Serialize(result.NotSent[0].Reason).Should().Be("\"MayHaveBeenReceived\"");
        JsonSerializer.Serialize(new { result.Operation, Mode = SyncMode.Replace }).Should().Be("""{"Operation":"Add","Mode":"Replace"}""");
    }
}
