public import KithDomain
import Plot

/// Renders pages outside a request, for benchmarks: the same services and views as a request.
public enum PageRendering {
    /// The profile page of `handle` as `viewer` sees it, as HTML.
    public static func profilePage(handle: String, viewer: Member, services: Services) async throws -> String {
        let view = try await services.profiles.view(handle: handle, by: viewer)
        return ProfilePage(chrome: PageChrome(member: viewer, csrfToken: "benchmark"), profile: view).document().render()
    }
}
