# syntax=docker/dockerfile:1
# The silo image: built with the SDK, run on the chiselled ASP.NET runtime (no shell, no package manager) as the
# non-root "app" user (uid 1654). Configuration comes from the environment only (deploy/k8s). Build it with
#   docker build -t escalation:dev .
# or, without Docker, with the SDK's own container support:
#   dotnet publish src/Escalation.Silo -c Release -t:PublishContainer
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files alone, so that a change of code reuses the restored layer.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/Escalation.Grains/Escalation.Grains.csproj src/Escalation.Grains/
COPY src/Escalation.Storage/Escalation.Storage.csproj src/Escalation.Storage/
COPY src/Escalation.Api/Escalation.Api.csproj src/Escalation.Api/
COPY src/Escalation.Silo/Escalation.Silo.csproj src/Escalation.Silo/
RUN dotnet restore src/Escalation.Silo/Escalation.Silo.csproj
COPY src/ src/
RUN dotnet publish src/Escalation.Silo/Escalation.Silo.csproj -c Release --no-restore -o /app -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled
WORKDIR /app
COPY --from=build /app .
USER $APP_UID
ENV ASPNETCORE_HTTP_PORTS=8080 \
    DOTNET_ENVIRONMENT=Production
EXPOSE 8080 11111
ENTRYPOINT ["dotnet", "Escalation.Silo.dll"]
