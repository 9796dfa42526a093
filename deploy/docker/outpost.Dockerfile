# SsoOperator outpost: the outpost (reads /etc/outpost/config.json, answers /ping).
# Build from the repository root: docker build -f deploy/docker/outpost.Dockerfile -t ssooperator/outpost .

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /source
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/ src/
RUN dotnet publish src/Outpost/SsoOperator.Outpost.csproj -c Release -o /app --no-self-contained -p:UseAppHost=false

# Chiseled: no shell, no package manager, runs as the non-root user app (1654).
FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled
WORKDIR /app
COPY --from=build /app ./
USER 1654:1654
ENV DOTNET_EnableDiagnostics=0
ENTRYPOINT ["dotnet", "SsoOperator.Outpost.dll"]
