using SsoOperator.IdP;
using SsoOperator.IdP.Mfa;

if (ResetMfaCommand.Matches(args))
{
    return await ResetMfaCommand.RunAsync(args, Console.Out, CancellationToken.None);
}

await using var app = IdpApp.Build(args);
await IdpApp.PrepareAsync(app, CancellationToken.None);
await app.RunAsync();
return 0;
